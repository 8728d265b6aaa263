package io.jpod.config.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The built-in defaults with the files merged on top, key by key: a later file overrides only the keys
 * it sets; tables merge; arrays and other values replace. For every key a file set, it remembers which
 * file set it last, to name it in messages.
 */
final class ConfigTree {

    private static final Logger LOG = LoggerFactory.getLogger(ConfigTree.class);

    private final ObjectNode tree;
    private final Map<List<String>, ConfigFile> origins = new HashMap<>();
    private final List<String> ignored = new ArrayList<>();

    ConfigTree(ObjectNode defaults) {
        this.tree = defaults.deepCopy();
    }

    ObjectNode tree() {
        return tree;
    }

    /** The file that last set each key (and each table) it set. */
    Map<List<String>, ConfigFile> origins() {
        return origins;
    }

    /** "file: key" for every table and key of the files merged so far that jpod does not read. */
    List<String> ignored() {
        return List.copyOf(ignored);
    }

    /** True when some file set {@code path} (not only the built-in defaults). */
    boolean setByFile(List<String> path) {
        return origins.containsKey(path);
    }

    void merge(ConfigFile file) {
        noteUnknown(file);
        merge(tree, file.tree(), new ArrayList<>(), file);
    }

    private void merge(ObjectNode target, ObjectNode source, List<String> path, ConfigFile file) {
        Iterator<Map.Entry<String, JsonNode>> it = source.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            path.add(e.getKey());
            JsonNode existing = target.get(e.getKey());
            JsonNode value = e.getValue();
            origins.put(List.copyOf(path), file);
            if (existing instanceof ObjectNode eo && value instanceof ObjectNode vo) {
                merge(eo, vo, path, file);
            } else {
                target.set(e.getKey(), value.deepCopy());
                recordOrigins(value, path, file);
            }
            path.remove(path.size() - 1);
        }
    }

    private void recordOrigins(JsonNode value, List<String> path, ConfigFile file) {
        if (value instanceof ObjectNode o) {
            Iterator<Map.Entry<String, JsonNode>> it = o.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                path.add(e.getKey());
                origins.put(List.copyOf(path), file);
                recordOrigins(e.getValue(), path, file);
                path.remove(path.size() - 1);
            }
        }
    }

    private void noteUnknown(ConfigFile file) {
        Iterator<Map.Entry<String, JsonNode>> sections = file.tree().fields();
        while (sections.hasNext()) {
            Map.Entry<String, JsonNode> s = sections.next();
            Set<String> known = Schema.KEYS.get(s.getKey());
            if (known == null) {
                ignore(file, s.getValue().isObject() ? "[" + Problems.keyPath(List.of(s.getKey())) + "]"
                        : Problems.keyPath(List.of(s.getKey())));
                continue;
            }
            if (!(s.getValue() instanceof ObjectNode table)) {
                continue; // reported as a wrong type when mapped
            }
            Iterator<Map.Entry<String, JsonNode>> keys = table.fields();
            while (keys.hasNext()) {
                Map.Entry<String, JsonNode> k = keys.next();
                if (!known.contains(k.getKey())) {
                    List<String> p = List.of(s.getKey(), k.getKey());
                    ignore(file, k.getValue().isObject() ? "[" + Problems.keyPath(p) + "]" : Problems.keyPath(p));
                }
            }
        }
    }

    private void ignore(ConfigFile file, String what) {
        ignored.add(file.name() + ": " + what);
        LOG.debug("{}: ignoring {}, which jpod does not use", file.name(), what);
    }
}
