package io.jpod.image.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jpod.api.HistoryEntry;
import io.jpod.api.ImageHistory;
import io.jpod.spi.storage.Storage;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * {@code history}: the config's history entries, newest first, each entry that made a layer given that layer's
 * size in order (as docker pairs them); layers the history does not account for get entries of their own.
 */
final class ImageHistories {
    static final String MISSING = "<missing>";

    private final ImageCatalog catalog;
    private final ObjectMapper json;

    ImageHistories(ImageCatalog catalog, ObjectMapper json) {
        this.catalog = catalog;
        this.json = json;
    }

    List<ImageHistory> of(String image) {
        Storage.Image img = catalog.resolve(image);
        List<Storage.Layer> layers = catalog.chain(img.topLayer());
        JsonNode root = json.createObjectNode();
        byte[] b = catalog.config(img.id());
        if (b != null) {
            try {
                root = json.readTree(b);
            } catch (IOException e) {
                root = json.createObjectNode();
            }
        }
        List<HistoryEntry> entries = new ArrayList<>();
        for (JsonNode h : root.path("history")) {
            entries.add(new HistoryEntry(time(h.path("created").asText("")), text(h, "created_by"),
                    text(h, "author"), text(h, "comment"), h.path("empty_layer").asBoolean(false)));
        }
        List<ImageHistory> out = new ArrayList<>();
        int layer = 0;
        for (HistoryEntry e : entries) {
            long size = 0;
            if (!e.emptyLayer() && layer < layers.size()) {
                size = layers.get(layer++).size();
            }
            out.add(new ImageHistory(MISSING, e, size, List.of()));
        }
        for (; layer < layers.size(); layer++) {
            out.add(new ImageHistory(MISSING, new HistoryEntry(img.created(), "", null, null, false),
                    layers.get(layer).size(), List.of()));
        }
        if (out.isEmpty()) {
            out.add(new ImageHistory(MISSING, new HistoryEntry(img.created(), "", null, null, true), 0, List.of()));
        }
        ImageHistory top = out.get(out.size() - 1);
        out.set(out.size() - 1, new ImageHistory(img.id(), top.entry(), top.size(), img.names()));
        Collections.reverse(out);
        return out;
    }

    private static Instant time(String s) {
        try {
            return s.isEmpty() ? null : Instant.parse(s);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String text(JsonNode h, String field) {
        JsonNode n = h.get(field);
        return n == null || !n.isTextual() ? null : n.asText();
    }
}
