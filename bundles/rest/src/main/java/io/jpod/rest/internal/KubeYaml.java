package io.jpod.rest.internal;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * Kubernetes YAML read and written through jackson-dataformat-yaml: each document of a stream with the line it
 * starts on, so that an error names where it is; the input is a client's, so its size, nesting and aliases are
 * bounded.
 */
final class KubeYaml {
    static final int MAX_BYTES = 1 << 20;

    /** One document of the stream and the line it starts on. */
    record Document(JsonNode node, int line) {
    }

    private static final YAMLMapper MAPPER;

    static {
        LoaderOptions limits = new LoaderOptions();
        limits.setMaxAliasesForCollections(20);
        limits.setNestingDepthLimit(50);
        limits.setCodePointLimit(MAX_BYTES);
        MAPPER = new YAMLMapper(YAMLFactory.builder().loaderOptions(limits)
                .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
                .build());
    }

    private KubeYaml() {
    }

    static List<Document> read(InputStream in) throws IOException {
        byte[] bytes = in.readNBytes(MAX_BYTES + 1);
        if (bytes.length > MAX_BYTES) {
            throw ApiException.badRequest("the YAML is larger than " + MAX_BYTES + " bytes");
        }
        List<Document> out = new ArrayList<>();
        try (JsonParser p = MAPPER.createParser(bytes);
                MappingIterator<JsonNode> it = MAPPER.readerFor(JsonNode.class).readValues(p)) {
            while (it.hasNextValue()) {
                // the parser stands on the document's first token: its line is where the document starts
                int line = p.currentTokenLocation().getLineNr();
                JsonNode n = it.nextValue();
                if (n == null || n.isNull() || n.isMissingNode()) {
                    continue;
                }
                if (!n.isObject()) {
                    throw ApiException.badRequest("the YAML document at line " + line
                            + " is not a Kubernetes object: it must be a mapping with apiVersion, kind and metadata");
                }
                out.add(new Document(n, line));
            }
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw ApiException.badRequest("the YAML is malformed" + (at == null ? "" : " at line " + at.getLineNr()
                    + ", column " + at.getColumnNr()) + ": " + e.getOriginalMessage());
        } catch (RuntimeException e) {
            // snakeyaml's own limits (aliases, nesting) surface as its exceptions
            throw ApiException.badRequest("the YAML is refused: " + e.getMessage());
        }
        if (out.isEmpty()) {
            throw ApiException.badRequest("the YAML holds no Kubernetes object: give a Pod or a Deployment");
        }
        return out;
    }

    static String write(List<ObjectNode> docs) throws IOException {
        StringBuilder b = new StringBuilder("# Save the output of this file and use kubectl create -f to import\n"
                + "# it into Kubernetes.\n#\n# Created with jpod\n");
        for (int i = 0; i < docs.size(); i++) {
            if (i > 0) {
                b.append("---\n");
            }
            b.append(MAPPER.writeValueAsString(docs.get(i)));
        }
        return b.toString();
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }
}
