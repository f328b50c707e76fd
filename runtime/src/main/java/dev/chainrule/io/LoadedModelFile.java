package dev.chainrule.io;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What {@link ModelFile#load} read besides the parameters it wrote into the model.
 *
 * @param info the file's header
 * @param attachments the attachment payloads by name, in file order; the arrays are fresh
 *     copies that belong to the caller
 */
public record LoadedModelFile(ModelFileInfo info, Map<String, byte[]> attachments) {

    public LoadedModelFile {
        attachments = Collections.unmodifiableMap(new LinkedHashMap<>(attachments));
    }

    /** The payload of the attachment called {@code name}, if the file has one. */
    public Optional<byte[]> attachment(String name) {
        return Optional.ofNullable(attachments.get(name));
    }
}
