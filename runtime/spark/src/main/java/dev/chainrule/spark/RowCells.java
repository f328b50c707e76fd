package dev.chainrule.spark;

import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Row;

/** {@link Cells} of Spark's external rows: the numbers as the row's boxed values. Reused row after row. */
final class RowCells implements Cells {
    private Row row;
    /** Each array column's list, fetched when first asked for in this row. */
    private List<?>[] lists = new List<?>[0];

    /** These cells, now of {@code next}. */
    RowCells of(Row next) {
        this.row = next;
        if (lists.length < next.length()) {
            lists = new List<?>[next.length()];
        } else {
            Arrays.fill(lists, null);
        }
        return this;
    }

    private List<?> list(int column) {
        if (lists[column] == null) {
            lists[column] = row.getList(column);
        }
        return lists[column];
    }

    @Override
    public boolean isNull(int column) {
        return row.isNullAt(column);
    }

    @Override
    public int length(int column) {
        return row.get(column) instanceof Number ? -1 : list(column).size();
    }

    @Override
    public boolean isNull(int column, int i) {
        return list(column).get(i) == null;
    }

    private Number number(int column, int i) {
        return (Number) (i < 0 ? row.get(column) : list(column).get(i));
    }

    @Override
    public float floatAt(int column, int i) {
        return number(column, i).floatValue();
    }

    @Override
    public double doubleAt(int column, int i) {
        return number(column, i).doubleValue();
    }

    @Override
    public String shown(int column) {
        return String.valueOf(row.get(column));
    }
}
