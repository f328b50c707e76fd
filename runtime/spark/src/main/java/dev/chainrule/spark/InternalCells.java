package dev.chainrule.spark;

import java.util.List;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.SpecializedGetters;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.StructType;

/**
 * {@link Cells} of Spark's internal rows ({@code Dataset.queryExecution().toRdd()}): each number
 * read by its column's type, so that an {@code array<float>} of 784 pixels is 784 reads from the
 * row's memory rather than 784 boxed values. The values are those the external row would give
 * ({@link RowCells}), converted as {@link Number#floatValue()} and {@link Number#doubleValue()}
 * convert them. Reused row after row; Spark may reuse the row object too, so nothing is kept.
 */
final class InternalCells implements Cells {
    private static final int BYTE = 0;
    private static final int SHORT = 1;
    private static final int INT = 2;
    private static final int LONG = 3;
    private static final int FLOAT = 4;
    private static final int DOUBLE = 5;
    private static final int DECIMAL = 6;

    /** Each column's kind of number (of its elements, for an array). */
    private final int[] kinds;

    private final boolean[] arrays;
    private final DecimalType[] decimals;
    private final ArrayData[] current;
    private InternalRow row;

    /** Cells of rows of {@code schema}, whose columns hold numbers or arrays of numbers. */
    InternalCells(StructType schema) {
        int n = schema.fields().length;
        this.kinds = new int[n];
        this.arrays = new boolean[n];
        this.decimals = new DecimalType[n];
        this.current = new ArrayData[n];
        for (int c = 0; c < n; c++) {
            DataType type = schema.fields()[c].dataType();
            if (type instanceof ArrayType array) {
                arrays[c] = true;
                type = array.elementType();
            }
            if (type instanceof DecimalType decimal) {
                decimals[c] = decimal;
            }
            kinds[c] = kind(type);
        }
    }

    /** The primitive number types, in the order of the kinds {@code BYTE} to {@code DOUBLE}. */
    private static final List<DataType> PRIMITIVES = List.of(
            DataTypes.ByteType,
            DataTypes.ShortType,
            DataTypes.IntegerType,
            DataTypes.LongType,
            DataTypes.FloatType,
            DataTypes.DoubleType);

    private static int kind(DataType type) {
        int primitive = PRIMITIVES.indexOf(type);
        if (primitive >= 0) {
            return primitive;
        }
        if (type instanceof DecimalType) {
            return DECIMAL;
        }
        throw new IllegalArgumentException(type.simpleString() + " is not a number");
    }

    /** These cells, now of {@code next}. */
    InternalCells of(InternalRow next) {
        this.row = next;
        for (int c = 0; c < current.length; c++) {
            current[c] = arrays[c] && !next.isNullAt(c) ? next.getArray(c) : null;
        }
        return this;
    }

    @Override
    public boolean isNull(int column) {
        return row.isNullAt(column);
    }

    @Override
    public int length(int column) {
        return arrays[column] ? current[column].numElements() : -1;
    }

    @Override
    public boolean isNull(int column, int i) {
        return current[column].isNullAt(i);
    }

    /** Where element {@code i} of column {@code column} is read from: the row itself for its number. */
    private SpecializedGetters source(int column, int i) {
        return i < 0 ? row : current[column];
    }

    @Override
    public float floatAt(int column, int i) {
        SpecializedGetters from = source(column, i);
        int at = i < 0 ? column : i;
        return switch (kinds[column]) {
            case BYTE -> from.getByte(at);
            case SHORT -> from.getShort(at);
            case INT -> from.getInt(at);
            case LONG -> from.getLong(at);
            case FLOAT -> from.getFloat(at);
            case DOUBLE -> (float) from.getDouble(at);
            default -> decimal(column, i).floatValue();
        };
    }

    @Override
    public double doubleAt(int column, int i) {
        SpecializedGetters from = source(column, i);
        int at = i < 0 ? column : i;
        return switch (kinds[column]) {
            case BYTE -> from.getByte(at);
            case SHORT -> from.getShort(at);
            case INT -> from.getInt(at);
            case LONG -> from.getLong(at);
            case FLOAT -> from.getFloat(at);
            case DOUBLE -> from.getDouble(at);
            default -> decimal(column, i).doubleValue();
        };
    }

    private java.math.BigDecimal decimal(int column, int i) {
        DecimalType type = decimals[column];
        return source(column, i)
                .getDecimal(i < 0 ? column : i, type.precision(), type.scale())
                .toJavaBigDecimal();
    }

    @Override
    public String shown(int column) {
        return switch (kinds[column]) {
            case BYTE -> Byte.toString(row.getByte(column));
            case SHORT -> Short.toString(row.getShort(column));
            case INT -> Integer.toString(row.getInt(column));
            case LONG -> Long.toString(row.getLong(column));
            case FLOAT -> Float.toString(row.getFloat(column));
            case DOUBLE -> Double.toString(row.getDouble(column));
            default -> decimal(column, -1).toString();
        };
    }
}
