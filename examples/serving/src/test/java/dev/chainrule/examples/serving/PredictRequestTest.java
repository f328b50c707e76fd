package dev.chainrule.examples.serving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PredictRequestTest {

    @Test
    void readsTheFeaturesAsFloats() throws Exception {
        assertArrayEquals(
                new float[] {5.1f, 3.5f, 1.4f, 0.2f}, PredictRequest.parse("{\"features\":[5.1,3.5,1.4,0.2]}", 4));
    }

    @Test
    void allowsWhitespaceEscapesAndEveryJsonNumberForm() throws Exception {
        String json = " \r\n\t{ \"feat\\u0075res\" :\n[ -0 , 0.5e1, -2E-1 ,1e+2, 12 ] } \n";
        assertArrayEquals(new float[] {-0.0f, 5f, -0.2f, 100f, 12f}, PredictRequest.parse(json, 5));
        assertEquals(Float.floatToRawIntBits(-0.0f), Float.floatToRawIntBits(PredictRequest.parse(json, 5)[0]));
    }

    @Test
    void roundsEachNumberOnceToTheNearestFloat() throws Exception {
        // 0.1 is not a float; the nearest float is what Java's 0.1f literal is.
        assertArrayEquals(new float[] {0.1f, 16777217f}, PredictRequest.parse("{\"features\":[0.1,16777217]}", 2));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            value = {
                "``                                   | the body is empty; expected {\"features\":[...]}",
                "`   `                                | the body is empty; expected {\"features\":[...]}",
                "not json                             | invalid JSON at character 1, found 'n' (not a JSON value)",
                "[1,2]                                | expected an object {\"features\":[...]} at character 1, found an array",
                "{}                                   | missing field \"features\"",
                "{\"feature\":[1,2]}                  | unknown field \"feature\" at character 2; the only field is \"features\"",
                "{features:[1,2]}                     | invalid JSON at character 2, found 'f' (expected a field name in double quotes)",
                "{\"features\" [1,2]}                 | invalid JSON at character 13, found '[' (expected ':')",
                "{\"features\":1}                     | expected an array of 2 numbers at character 13, found a number",
                "{\"features\":[1,2],\"features\":[3,4]} | duplicate field \"features\" at character 19; the only field is \"features\"",
                "{\"features\":[1,2],\"x\":1}         | unknown field \"x\" at character 19; the only field is \"features\"",
                "{\"features\":[1,2]} x               | unexpected 'x' after the object at character 20",
                "{\"features\":[1,2]}}                | unexpected '}' after the object at character 19",
                "{\"features\":[1,2]                  | invalid JSON: the body ends at character 17 before the object is complete",
                "{\"features\":[1,2                   | invalid JSON: the body ends at character 16 before the object is complete",
                "{\"features\":[1 2]}                 | feature 1: invalid JSON at character 16, found '2' (expected ',' or the end of the array)",
                "{\"features\":[1,]}                  | feature 1: invalid JSON at character 16, found ']' (expected a value)",
                "{\"features\":[]}                    | expected 2 features, got 0",
                "{\"features\":[1]}                   | expected 2 features, got 1",
                "{\"features\":[1,2,3]}               | expected 2 features, got 3",
                "{\"features\":[1,\"2\"]}             | feature 1 at character 16 is a string, expected a number",
                "{\"features\":[null,2]}              | feature 0 at character 14 is null, expected a number",
                "{\"features\":[true,2]}              | feature 0 at character 14 is a boolean, expected a number",
                "{\"features\":[[1],2]}               | feature 0 at character 14 is an array, expected a number",
                "{\"features\":[1,NaN]}               | feature 1 at character 16 is NaN, which is not a JSON number; expected a number",
                "{\"features\":[1,Infinity]}          | feature 1 at character 16 is Infinity, which is not a JSON number; expected a number",
                "{\"features\":[1,-Infinity]}         | feature 1 at character 16 is -Infinity, which is not a JSON number; expected a number",
                "{\"features\":[1,1e39]}              | feature 1 at character 16: 1e39 is beyond the float range",
                "{\"features\":[1,-4e38]}             | feature 1 at character 16: -4e38 is beyond the float range",
                "{\"features\":[01,2]}                | feature 0: invalid JSON at character 15, found '1' (a number must not start with 0 followed by digits)",
                "{\"features\":[1.,2]}                | feature 0: invalid JSON at character 15, found '.' (expected a digit after the decimal point)",
                "{\"features\":[.5,2]}                | feature 0: invalid JSON at character 14, found '.' (expected a value)",
                "{\"features\":[+1,2]}                | feature 0: invalid JSON at character 15, found '1' (a JSON number has no plus sign)",
                "{\"features\":[1e,2]}                | feature 0: invalid JSON at character 15, found 'e' (expected a digit in the exponent)",
                "{\"feat\\qures\":[1,2]}              | invalid JSON at character 8, found 'q' (not a JSON escape)",
                "{\"features                          | invalid JSON: the body ends at character 10 before the object is complete",
            })
    void refusesAnythingElseSayingWhatAndWhere(String json, String message) {
        BadRequestException e = assertThrows(BadRequestException.class, () -> PredictRequest.parse(json, 2));
        assertEquals(400, e.status());
        assertEquals(message, e.getMessage());
    }

    @Test
    void refusesANumberLongerThanAnyFloatNeeds() throws Exception {
        String longest = "0." + "1".repeat(PredictRequest.MAX_NUMBER_CHARS - 2);
        assertArrayEquals(
                new float[] {1f, Float.parseFloat(longest)},
                PredictRequest.parse("{\"features\":[1," + longest + "]}", 2));
        BadRequestException e = assertThrows(
                BadRequestException.class, () -> PredictRequest.parse("{\"features\":[1," + longest + "1]}", 2));
        assertEquals("feature 1 is longer than 64 characters", e.getMessage());
    }

    @Test
    void echoedTextIsEscapedForTheJsonReply() {
        BadRequestException e =
                assertThrows(BadRequestException.class, () -> PredictRequest.parse("{\"a\\\"b\\n\":[1,2]}", 2));
        assertEquals("unknown field \"a\\\"b\\n\" at character 2; the only field is \"features\"", e.getMessage());
        BadRequestException control =
                assertThrows(BadRequestException.class, () -> PredictRequest.parse("{\"a\u0001\":[1,2]}", 2));
        assertEquals(
                "invalid JSON at character 4, found '\\u0001' (a control character must be escaped)",
                control.getMessage());
    }
}
