package dev.chainrule.spark;

/**
 * One row's numbers by column, whatever holds the row: Spark's external {@link
 * org.apache.spark.sql.Row} ({@link RowCells}) or its internal rows ({@link InternalCells}, which
 * read arrays of numbers without boxing them). A column holds a number or an array of numbers;
 * a number is element {@code -1}.
 */
interface Cells {
    /** Whether column {@code column} is null. */
    boolean isNull(int column);

    /** The length of column {@code column}'s array, or -1 if it holds one number. */
    int length(int column);

    /** Whether element {@code i} of column {@code column}'s array is null. */
    boolean isNull(int column, int i);

    /** Element {@code i} of column {@code column} (-1 for its number), rounded to float as {@link Number#floatValue()} does. */
    float floatAt(int column, int i);

    /** Element {@code i} of column {@code column} (-1 for its number), as {@link Number#doubleValue()} gives it. */
    double doubleAt(int column, int i);

    /** Column {@code column}'s number as its boxed value prints, for messages. */
    String shown(int column);
}
