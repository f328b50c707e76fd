package dev.chainrule.spark;

import dev.chainrule.DoubleModel;
import dev.chainrule.FloatModel;
import dev.chainrule.Model;
import dev.chainrule.Precision;
import dev.chainrule.data.AbstractDataset;
import dev.chainrule.data.DoubleDataset;
import java.io.Serializable;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.StructType;

/**
 * What training on partitions does in one precision: {@link FloatNumbers} for a {@link
 * FloatModel} and its {@code float[]} rows, its generated twin {@code DoubleNumbers} for a {@link
 * DoubleModel} and {@code double[]} rows. The rest of the module is written once for both.
 *
 * @param <A> the array type, {@code float[]} or {@code double[]}
 */
interface Numbers<A> extends Serializable {
    /** The precision of these numbers. */
    Precision precision();

    /** The numbers of {@code precision}. */
    static Numbers<?> of(Precision precision) {
        return precision == Precision.DOUBLE ? DoubleNumbers.INSTANCE : FloatNumbers.INSTANCE;
    }

    /** The numbers of {@code model}'s precision. */
    static Numbers<?> of(Model model) {
        if (model instanceof FloatModel) {
            return FloatNumbers.INSTANCE;
        }
        if (model instanceof DoubleModel) {
            return DoubleNumbers.INSTANCE;
        }
        throw new IllegalArgumentException("training on Spark takes a float or a double model, but "
                + model.getClass().getName() + " is neither");
    }

    /** The numbers a runtime dataset holds: {@code double} for a {@link DoubleDataset}. */
    static Numbers<?> of(AbstractDataset<?> data) {
        return of(data instanceof DoubleDataset ? Precision.DOUBLE : Precision.FLOAT);
    }

    /**
     * Reads partition {@code index}'s rows: {@code features} and {@code targets} (or, for {@code
     * classCount > 0}, the class label) at columns 0 and 1 of each row.
     *
     * @throws IllegalArgumentException naming the partition, row and column of a value that does not fit
     */
    Part<A> read(
            int index,
            Iterator<InternalRow> rows,
            StructType schema,
            String features,
            String targets,
            int featureCount,
            int targetCount,
            int classCount);

    /** A part of the rows of {@code data}, a dataset of this precision. */
    Part<A> part(int index, AbstractDataset<?> data);

    /** The part's rows as a dataset of the runtime, sharing nothing. */
    AbstractDataset<?> dataset(Part<A> part);

    /** A copy of {@code model}'s parameters. */
    A parameters(Model model);

    /** What partition {@code part} computes in round {@code round} of {@code epoch} of {@code plan}. */
    Result<A> task(Plan<A> plan, Part<A> part, A parameters, int epoch, int round);

    /**
     * The sum of a group's gradient sums, given in partition order: the first one with rows
     * copied, the others added in order, as {@link #sum} adds into the model.
     */
    Result<A> addGroup(int group, List<Result<A>> inOrder);

    /**
     * A group's share of the averaged parameters, given in partition order: the sum in {@code
     * double}, from zero and in order, of each partition's parameters weighted by its rows over
     * {@code rows}, the round's rows over every partition; {@link #average} is this over all the
     * partitions.
     */
    Result<double[]> weighGroup(int group, List<Result<A>> inOrder, int rows);

    /**
     * Sets {@code model}'s gradients to the batch's mean gradient, from the results in order (the
     * partitions', or the groups'): the first with rows copied, the others added in order; returns
     * the mean loss over the batch's {@code rows}.
     */
    double sum(List<Result<A>> inOrder, Model model, int rows);

    /**
     * Averaging: sets {@code model}'s gradients to its parameters minus the partitions' parameters
     * averaged, each weighted by the rows it stepped on, in partition order in {@code double}, so
     * that {@code Sgd.of(1)} on the driver moves the parameters to the average; returns the mean
     * loss of the local steps.
     */
    double average(List<Result<A>> inOrder, Model model);

    /**
     * {@link #average} from the groups' {@link #weighGroup weighted sums}, added in group order from
     * zero in {@code double}.
     */
    double averageGroups(List<Result<double[]>> inOrder, Model model, int rows);
}
