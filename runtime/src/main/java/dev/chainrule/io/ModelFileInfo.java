package dev.chainrule.io;

import dev.chainrule.Precision;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a model file says about itself: everything but the parameter values and the attachment
 * payloads. {@link ModelFile#inspect} returns it without needing a model; {@link
 * ModelFile#load} returns it with what it loaded.
 *
 * @param formatVersion the version of the file format
 * @param interfaceName the fully qualified name of the {@code @Network} interface the file was
 *     saved from
 * @param canonicalShape the network's {@link dev.chainrule.NetworkSpec#canonicalShape()}
 * @param fingerprint the network's {@link dev.chainrule.NetworkSpec#fingerprint()}
 * @param precision the type the parameters are stored in
 * @param parameterCount how many parameters the file holds
 * @param attachmentSizes the size in bytes of each attachment, by name, in file order
 */
public record ModelFileInfo(
        int formatVersion,
        String interfaceName,
        String canonicalShape,
        long fingerprint,
        Precision precision,
        int parameterCount,
        Map<String, Integer> attachmentSizes) {

    public ModelFileInfo {
        attachmentSizes = Collections.unmodifiableMap(new LinkedHashMap<>(attachmentSizes));
    }

    /** The names of the attachments, in file order (sorted by their UTF-8 bytes). */
    public List<String> attachmentNames() {
        return List.copyOf(attachmentSizes.keySet());
    }

    /** The fingerprint as 16 hexadecimal digits, as messages print it. */
    public String fingerprintHex() {
        return String.format("%016x", fingerprint);
    }
}
