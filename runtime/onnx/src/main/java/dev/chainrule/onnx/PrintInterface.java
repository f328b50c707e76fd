package dev.chainrule.onnx;

/** Prints the {@code @Network} interface that declares the network of an ONNX file. */
public final class PrintInterface {
    private PrintInterface() {}
}
