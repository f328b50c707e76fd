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
        assertArrayEquals(new float[] {5.1f, 3.5f, 1.4f, 0.2f},
                PredictRequest.parse("{\"features\":[5.1,3.5,1.4,0.2]}", 4));
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
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "``                                   | the body is empty; expected {\"features\":[...]}",
        "`   `                                | the body is empty; expected {\"features\":[...]}",
        "not json                             | expected an object {\"features\":[...]} at character 1, found 'n'",
        "[1,2]                                | expected an object {\"features\":[...]} at character 1, found '['",
        "{}                                   | missing field \"features\"",
        "{\"feature\":[1,2]}                  | unknown field \"feature\" at character 2; the only field is \"features\"",
        "{features:[1,2]}                     | expected a field name in double quotes at character 2, found 'f'",
        "{\"features\" [1,2]}                 | expected ':' at character 13, found '['",
        "{\"features\":1}                     | expected an array of 2 numbers at character 13, found '1'",
        "{\"features\":[1,2],\"features\":[3,4]} | duplicate field \"features\" at character 19; the only field is \"features\"",
        "{\"features\":[1,2],\"x\":1}         | unknown field \"x\" at character 19; the only field is \"features\"",
        "{\"features\":[1,2]} x               | unexpected 'x' after the object at character 20",
        "{\"features\":[1,2]}}                | unexpected '}' after the object at character 19",
        "{\"features\":[1,2]                  | expected ',' or '}' at character 18, found the end of the body",
        "{\"features\":[1,2                   | expected ',' or ']' at character 17, found the end of the body",
        "{\"features\":[1 2]}                 | expected ',' or ']' at character 16, found '2'",
        "{\"features\":[1,]}                  | feature 1 at character 16 is ']', expected a number",
        "{\"features\":[]}                    | expected 2 features, got 0",
        "{\"features\":[1]}                   | expected 2 features, got 1",
        "{\"features\":[1,2,3]}               | expected 2 features, got 3",
        "{\"features\":[1,\"2\"]}             | feature 1 at character 16 is a string, expected a number",
        "{\"features\":[null,2]}              | feature 0 at character 14 is null, expected a number",
        "{\"features\":[true,2]}              | feature 0 at character 14 is a boolean, expected a number",
        "{\"features\":[[1],2]}               | feature 0 at character 14 is an array, expected a number",
        "{\"features\":[1,NaN]}               | feature 1 at character 16 is NaN (not a JSON number), expected a number",
        "{\"features\":[1,Infinity]}          | feature 1 at character 16 is Infinity (not a JSON number), expected a number",
        "{\"features\":[1,-Infinity]}         | feature 1 at character 16: expected a digit after the sign, found 'I'",
        "{\"features\":[1,1e39]}              | feature 1 at character 16: 1e39 is beyond the float range",
        "{\"features\":[1,-4e38]}             | feature 1 at character 16: -4e38 is beyond the float range",
        "{\"features\":[01,2]}                | feature 0 at character 14: a number must not start with 0 followed by digits",
        "{\"features\":[1.,2]}                | feature 0 at character 14: expected a digit after the decimal point, found ','",
        "{\"features\":[.5,2]}                | feature 0 at character 14 is '.', expected a number",
        "{\"features\":[+1,2]}                | feature 0 at character 14 is '+', expected a number",
        "{\"features\":[1e,2]}                | feature 0 at character 14: expected a digit in the exponent, found ','",
        "{\"feat\\qures\":[1,2]}              | invalid escape \\q at character 7",
        "{\"features                          | unterminated string starting at character 2",
    })
    void refusesAnythingElseSayingWhatAndWhere(String json, String message) {
        BadRequestException e = assertThrows(BadRequestException.class, () -> PredictRequest.parse(json, 2));
        assertEquals(400, e.status());
        assertEquals(message, e.getMessage());
    }

    @Test
    void echoedTextIsEscapedForTheJsonReply() {
        BadRequestException e = assertThrows(BadRequestException.class,
                () -> PredictRequest.parse("{\"a\\\"b\\n\":[1,2]}", 2));
        assertEquals("unknown field \"a\\\"b\\n\" at character 2; the only field is \"features\"", e.getMessage());
        BadRequestException control = assertThrows(BadRequestException.class,
                () -> PredictRequest.parse("{\"a\u0001\":[1,2]}", 2));
        assertEquals("control character \\u0001 in a string at character 4", control.getMessage());
    }
}
