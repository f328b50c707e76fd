package dev.chainrule.onnx;

import com.google.protobuf.ByteString;
import dev.chainrule.onnx.proto.OnnxProtos.TensorProto;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/** Tensors' values to and from ONNX's {@code TensorProto}, every claim of a file checked before it is believed. */
final class Tensors {
    /** The most values one Java array holds. */
    static final long MAX_VALUES = Integer.MAX_VALUE - 8;

    private Tensors() {}

    /**
     * A tensor whose claims do not hold; the graph reader turns it into an {@link OnnxException}
     * that names the file.
     */
    static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    /** Checks what {@link #values} or {@link #integers} checks, without converting anything. */
    static void check(TensorProto tensor) {
        int type = tensor.getDataType();
        if (type == TensorProto.DataType.INT64_VALUE || type == TensorProto.DataType.INT32_VALUE) {
            integers(tensor);
        } else if (type == TensorProto.DataType.FLOAT_VALUE || type == TensorProto.DataType.DOUBLE_VALUE) {
            checkFloats(tensor);
        } else if (type != TensorProto.DataType.BOOL_VALUE) {
            values(tensor); // refuses the type by name
        }
    }

    static ByteString rawFloats(float[] values, int offset, int count) {
        ByteBuffer buffer =
                ByteBuffer.allocate(Math.multiplyExact(count, Float.BYTES)).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(values, offset, count);
        return ByteString.copyFrom(buffer.array());
    }

    static ByteString rawDoubles(double[] values, int offset, int count) {
        ByteBuffer buffer =
                ByteBuffer.allocate(Math.multiplyExact(count, Double.BYTES)).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asDoubleBuffer().put(values, offset, count);
        return ByteString.copyFrom(buffer.array());
    }

    /** A tensor's name for messages: {@code tensor 'fc1.weight'}. */
    static String describe(TensorProto tensor) {
        return "tensor '" + tensor.getName() + "'";
    }

    /**
     * The tensor's dimensions, each checked to be at least 0 and their product to fit in an array.
     *
     * @throws Refused naming the tensor otherwise
     */
    static List<Integer> dimensions(TensorProto tensor) {
        List<Integer> dims = new ArrayList<>(tensor.getDimsCount());
        long count = 1;
        for (long d : tensor.getDimsList()) {
            if (d < 0) {
                throw new Refused(describe(tensor) + " has a negative dimension in " + tensor.getDimsList());
            }
            if (d > MAX_VALUES || (d > 0 && count > MAX_VALUES / d)) {
                throw new Refused(describe(tensor) + " has dimensions " + tensor.getDimsList()
                        + ", more values than an array holds (at most " + MAX_VALUES + ")");
            }
            count *= d;
            dims.add((int) d);
        }
        return List.copyOf(dims);
    }

    /** The number of values the dimensions claim; {@link #dimensions} has checked they fit. */
    static int count(List<Integer> dims) {
        int count = 1;
        for (int d : dims) {
            count *= d;
        }
        return count;
    }

    /**
     * The values of a {@code float} or {@code double} tensor, in the order its dimensions give
     * (row-major), as doubles (a float converts exactly). Reads {@code raw_data} (little-endian),
     * {@code float_data} or {@code double_data}, after checking that they hold exactly as many
     * values as the dimensions claim: a tensor that claims more than its bytes hold is refused
     * before anything of its claimed size is allocated.
     *
     * @throws Refused for data kept outside the file, another element type, segments, or a
     *     count that does not match the dimensions
     */
    static double[] values(TensorProto tensor) {
        int count = checkFloats(tensor);
        boolean doubles = tensor.getDataType() == TensorProto.DataType.DOUBLE_VALUE;
        double[] values = new double[count];
        if (tensor.hasRawData()) {
            ByteBuffer buffer = tensor.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < count; i++) {
                values[i] = doubles ? buffer.getDouble() : buffer.getFloat();
            }
        } else {
            for (int i = 0; i < count; i++) {
                values[i] = doubles ? tensor.getDoubleData(i) : tensor.getFloatData(i);
            }
        }
        return values;
    }

    /** Checks a float or double tensor's claims; returns its number of values. */
    private static int checkFloats(TensorProto tensor) {
        if (tensor.getDataLocation() == TensorProto.DataLocation.EXTERNAL || tensor.getExternalDataCount() > 0) {
            throw new Refused(describe(tensor) + " keeps its values in an external file, which Chainrule does not"
                    + " read: save the model with its data inside (onnx.save_model(model, path,"
                    + " save_as_external_data=False))");
        }
        if (tensor.hasSegment()) {
            throw new Refused(describe(tensor) + " is split into segments, which Chainrule does not read");
        }
        int type = tensor.getDataType();
        if (type != TensorProto.DataType.FLOAT_VALUE && type != TensorProto.DataType.DOUBLE_VALUE) {
            throw new Refused(describe(tensor) + " holds " + typeName(type)
                    + " values; Chainrule reads FLOAT and DOUBLE tensors");
        }
        List<Integer> dims = dimensions(tensor);
        int count = count(dims);
        boolean doubles = type == TensorProto.DataType.DOUBLE_VALUE;
        if (tensor.hasRawData()) {
            int width = doubles ? Double.BYTES : Float.BYTES;
            ByteString raw = tensor.getRawData();
            if (raw.size() != (long) count * width) {
                throw new Refused(describe(tensor) + " has dimensions " + dims + ", " + count + " values of "
                        + width + " bytes (" + (long) count * width + " bytes), but its raw_data holds " + raw.size()
                        + " bytes");
            }
            return count;
        }
        int held = doubles ? tensor.getDoubleDataCount() : tensor.getFloatDataCount();
        if (held != count) {
            throw new Refused(describe(tensor) + " has dimensions " + dims + ", " + count + " values, but its "
                    + (doubles ? "double_data" : "float_data") + " holds " + held);
        }
        return count;
    }

    /**
     * The values of an integer tensor ({@code INT64} or {@code INT32}), such as the shape a
     * {@code Reshape} reads.
     */
    static long[] integers(TensorProto tensor) {
        if (tensor.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
            throw new Refused(
                    describe(tensor) + " keeps its values in an external file, which Chainrule does not read");
        }
        int type = tensor.getDataType();
        boolean wide = type == TensorProto.DataType.INT64_VALUE;
        if (!wide && type != TensorProto.DataType.INT32_VALUE) {
            throw new Refused(describe(tensor) + " holds " + typeName(type) + " values where integers were expected");
        }
        int count = count(dimensions(tensor));
        if (tensor.hasRawData()) {
            int width = wide ? Long.BYTES : Integer.BYTES;
            if (tensor.getRawData().size() != (long) count * width) {
                throw new Refused(describe(tensor) + " claims " + count + " integers but its raw_data holds "
                        + tensor.getRawData().size() + " bytes");
            }
            ByteBuffer buffer = tensor.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            long[] values = new long[count];
            for (int i = 0; i < count; i++) {
                values[i] = wide ? buffer.getLong() : buffer.getInt();
            }
            return values;
        }
        int held = wide ? tensor.getInt64DataCount() : tensor.getInt32DataCount();
        if (held != count) {
            throw new Refused(describe(tensor) + " claims " + count + " integers but holds " + held);
        }
        long[] values = new long[count];
        for (int i = 0; i < count; i++) {
            values[i] = wide ? tensor.getInt64Data(i) : tensor.getInt32Data(i);
        }
        return values;
    }

    /** The name of an element type, e.g. {@code FLOAT16}, or its number when ONNX defines none. */
    static String typeName(int type) {
        TensorProto.DataType known = TensorProto.DataType.forNumber(type);
        return known == null ? "element type " + type : known.name();
    }
}
