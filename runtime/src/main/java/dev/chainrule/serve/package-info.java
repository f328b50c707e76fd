/**
 * Serving trained models: {@link dev.chainrule.serve.Preprocessing} keeps a model file and the
 * feature scaling it was trained with together, and {@link dev.chainrule.serve.ModelSlot} lets
 * many threads predict while another replaces the model, never serving half of one.
 */
package dev.chainrule.serve;
