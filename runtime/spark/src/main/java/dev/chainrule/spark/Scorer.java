package dev.chainrule.spark;

import java.util.Iterator;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;

/**
 * {@link SparkScoring}'s work on a partition in one precision: {@link FloatScorer} for a {@code
 * FloatModel}, its generated twin {@code DoubleScorer} for a {@code DoubleModel}. It holds the
 * model's class and its parameters, broadcast.
 */
interface Scorer {
    /** The model's outputs per row. */
    int outputSize();

    /** The type of an output value in a column of predictions: {@code float} or {@code double}. */
    DataType outputType();

    /**
     * A partition's rows with the model's outputs for the row's features (column {@code f}, named
     * {@code features}) added as the last column: an array of the outputs, or with {@code
     * classes} the predicted class as an {@code int}.
     */
    MapPartitionsFunction<Row, Row> predictor(int f, String features, boolean classes);

    /**
     * A partition's {@link SparkScoring.Sums}, from the features in column {@code f} and the
     * targets in column {@code t} ({@code labelled}: a class label of {@code labelClasses}).
     */
    Function2<Integer, Iterator<Row>, Iterator<SparkScoring.Sums>> evaluator(
            int f, String features, int t, String targets, int labelClasses, boolean labelled);

    /** Frees the broadcast parameters. */
    void destroy();
}
