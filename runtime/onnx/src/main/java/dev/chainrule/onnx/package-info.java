/**
 * ONNX files for generated models: {@link dev.chainrule.onnx.OnnxExport} writes a model as an
 * ONNX graph, {@link dev.chainrule.onnx.OnnxImport} loads the weights of an ONNX graph into the
 * generated model of the same network, and {@link dev.chainrule.onnx.PrintInterface} prints the
 * {@code @Network} interface that matches an ONNX file.
 */
package dev.chainrule.onnx;
