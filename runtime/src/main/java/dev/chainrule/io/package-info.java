/**
 * Model files: a documented, versioned, checksummed binary format for a trained model's
 * parameters, with atomic saving and a loader that checks everything before it trusts anything.
 *
 * <p>{@link dev.chainrule.io.ModelFile} is the entry point; {@code docs/model-file-format.md}
 * describes the layout byte by byte.
 */
package dev.chainrule.io;
