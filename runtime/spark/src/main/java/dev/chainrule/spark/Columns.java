package dev.chainrule.spark;

import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** Reading a row's features, targets and label from a Spark dataset's columns, with messages that say where. */
final class Columns {
    private Columns() {}

    /** The index of {@code column}, which must be an array of numbers. */
    static int arrayColumn(StructType schema, String column, String what) {
        StructField field = field(schema, column, what);
        if (!(field.dataType() instanceof ArrayType array) || !(array.elementType() instanceof NumericType)) {
            throw new IllegalArgumentException("the " + what + " column '" + column + "' is "
                    + field.dataType().simpleString() + ", expected an array of numbers such as array<float>");
        }
        return schema.fieldIndex(column);
    }

    /** The index of {@code column}, which must hold numbers or arrays of numbers. */
    static int numbersColumn(StructType schema, String column, String what) {
        StructField field = field(schema, column, what);
        if (field.dataType() instanceof NumericType) {
            return schema.fieldIndex(column);
        }
        return arrayColumn(schema, column, what);
    }

    /** The index of {@code column}, which must hold whole numbers. */
    static int labelColumn(StructType schema, String column) {
        StructField field = field(schema, column, "label");
        DataType type = field.dataType();
        if (!(type.equals(DataTypes.IntegerType)
                || type.equals(DataTypes.LongType)
                || type.equals(DataTypes.ShortType)
                || type.equals(DataTypes.ByteType)
                || type.equals(DataTypes.DoubleType)
                || type.equals(DataTypes.FloatType))) {
            throw new IllegalArgumentException("the label column '" + column + "' is " + type.simpleString()
                    + ", expected whole numbers (int) from 0 to the class count - 1");
        }
        return schema.fieldIndex(column);
    }

    private static StructField field(StructType schema, String column, String what) {
        for (StructField field : schema.fields()) {
            if (field.name().equals(column)) {
                return field;
            }
        }
        throw new IllegalArgumentException("the dataset has no " + what + " column '" + column + "'; its columns are "
                + String.join(", ", schema.fieldNames()));
    }

    /** The width of column {@code index} in {@code row}: its array's length, or 1 for a number. */
    static int width(Cells values, int index, String column, String where) {
        if (values.isNull(index)) {
            throw new IllegalArgumentException(where + ": column '" + column + "' is null");
        }
        return Math.max(1, values.length(index));
    }

    /** Row {@code row}'s class label in {@code 0 .. classCount - 1}. */
    static int label(Cells values, int index, String column, int classCount, String where) {
        if (values.isNull(index)) {
            throw new IllegalArgumentException(where + ": label column '" + column + "' is null");
        }
        double value = values.doubleAt(index, -1);
        if (value != Math.rint(value) || value < 0 || value >= classCount) {
            throw new IllegalArgumentException(where + ": label column '" + column + "' is " + values.shown(index)
                    + ", expected a class from 0 to " + (classCount - 1));
        }
        return (int) value;
    }

    /** The innermost cause of {@code e} that is an {@link IllegalArgumentException}, or {@code null}. */
    static IllegalArgumentException badInput(Throwable e) {
        IllegalArgumentException found = null;
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof IllegalArgumentException bad) {
                found = bad;
            }
        }
        return found;
    }

    /**
     * What to throw for a failed job: its bad input as an {@link IllegalArgumentException} with the
     * task's message, else {@code e} itself if unchecked, else a {@link IllegalStateException}
     * (Spark's own failures, such as {@code SparkException}, are checked exceptions to Java).
     */
    static RuntimeException rethrow(Exception e) {
        IllegalArgumentException bad = badInput(e);
        if (bad != null) {
            return new IllegalArgumentException(bad.getMessage(), e);
        }
        return e instanceof RuntimeException unchecked ? unchecked : new IllegalStateException(e.getMessage(), e);
    }
}
