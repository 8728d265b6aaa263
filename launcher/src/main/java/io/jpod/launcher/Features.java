package io.jpod.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * A Karaf features file (any version of the {@code http://karaf.apache.org/xmlns/features/v1.x.0}
 * schema), read far enough to list the bundles of some features: each feature's {@code <bundle>}
 * elements (location and {@code start-level}) and its nested {@code <feature>} dependencies.
 * Everything else of the format (configs, conditionals, capabilities, repositories) is ignored.
 *
 * <p>Read with the JDK's DOM parser, with DTDs and external entities refused.
 */
public final class Features {

    /** A bundle of a feature: its URL ({@code mvn:group/artifact/version}, {@code file:...}) and start level (0 = not given). */
    public record FeatureBundle(String location, int startLevel) {
        public FeatureBundle {
            Objects.requireNonNull(location, "location");
            if (startLevel < 0) {
                throw new IllegalArgumentException("start level " + startLevel + " of " + location + " is negative");
            }
        }
    }

    private record Feature(String name, List<String> dependencies, List<FeatureBundle> bundles) {
    }

    private final Map<String, Feature> features;

    private Features(Map<String, Feature> features) {
        this.features = features;
    }

    /** Reads a features file. */
    public static Features read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        }
    }

    /** Reads a features file from a stream (not closed). */
    public static Features read(InputStream in) throws IOException {
        return read(in, "features stream");
    }

    private static Features read(InputStream in, String source) throws IOException {
        Document doc;
        try {
            doc = newBuilder().parse(in);
        } catch (SAXParseException e) {
            throw new IOException(source + ":" + e.getLineNumber() + ":" + e.getColumnNumber()
                    + ": not a well-formed features file: " + e.getMessage(), e);
        } catch (SAXException e) {
            throw new IOException(source + " is not a well-formed features file: " + e.getMessage(), e);
        }
        Element root = doc.getDocumentElement();
        if (!"features".equals(localName(root))) {
            throw new IOException(source + " is not a features file: its root element is <" + localName(root)
                    + ">, not <features>");
        }
        Map<String, Feature> map = new LinkedHashMap<>();
        for (Element f : children(root, "feature")) {
            String name = f.getAttribute("name").trim();
            if (name.isEmpty()) {
                throw new IOException(source + ": a <feature> without a name");
            }
            List<String> deps = new ArrayList<>();
            List<FeatureBundle> bundles = new ArrayList<>();
            for (Element dep : children(f, "feature")) {
                String d = dep.getTextContent().trim();
                if (!d.isEmpty()) {
                    deps.add(d);
                }
            }
            for (Element b : children(f, "bundle")) {
                String location = b.getTextContent().trim();
                if (location.isEmpty()) {
                    throw new IOException(source + ": feature " + name + " has an empty <bundle>");
                }
                String sl = b.getAttribute("start-level").trim();
                int startLevel;
                try {
                    startLevel = sl.isEmpty() ? 0 : Integer.parseInt(sl);
                } catch (NumberFormatException e) {
                    throw new IOException(source + ": feature " + name + ", bundle " + location
                            + ": start-level \"" + sl + "\" is not a number", e);
                }
                if (startLevel < 0) {
                    throw new IOException(source + ": feature " + name + ", bundle " + location
                            + ": start-level " + startLevel + " is negative");
                }
                bundles.add(new FeatureBundle(location, startLevel));
            }
            // as Karaf, the first definition of a name wins over later ones (other versions)
            map.putIfAbsent(name, new Feature(name, List.copyOf(deps), List.copyOf(bundles)));
        }
        return new Features(Collections.unmodifiableMap(map));
    }

    /**
     * This file's features and then those of {@code other} whose names this one does not define: for
     * resolving names across two files (the engine's features and a distribution's own).
     */
    public Features with(Features other) {
        Map<String, Feature> map = new LinkedHashMap<>(features);
        other.features.forEach(map::putIfAbsent);
        return new Features(Collections.unmodifiableMap(map));
    }

    /** The names of the features of this file, in file order. */
    public List<String> names() {
        return List.copyOf(features.keySet());
    }

    /**
     * The bundles of the named features, in order: for each name, the bundles of its nested features
     * (depth first, in the order given) before its own, each location once (the first occurrence
     * wins, with its start level).
     *
     * @throws IllegalArgumentException when a name, given or nested, is not a feature of this file
     */
    public List<FeatureBundle> bundles(String... featureNames) {
        Map<String, FeatureBundle> out = new LinkedHashMap<>();
        Set<String> done = new HashSet<>();
        for (String name : featureNames) {
            collect(name, null, done, new LinkedHashSet<>(), out);
        }
        return List.copyOf(out.values());
    }

    private void collect(String name, String parent, Set<String> done, Set<String> path, Map<String, FeatureBundle> out) {
        Feature f = features.get(name);
        if (f == null) {
            throw new IllegalArgumentException("unknown feature " + name
                    + (parent == null ? "" : " (a dependency of feature " + parent + ")")
                    + "; known features: " + String.join(", ", features.keySet()));
        }
        if (done.contains(name) || !path.add(name)) {
            return; // already listed, or a cycle
        }
        for (String dep : f.dependencies()) {
            collect(dep, name, done, path, out);
        }
        for (FeatureBundle b : f.bundles()) {
            out.putIfAbsent(b.location(), b);
        }
        path.remove(name);
        done.add(name);
    }

    /**
     * Where a {@code mvn:group/artifact/version[/type[/classifier]]} URL's file is in a Maven
     * repository laid out as {@code ~/.m2/repository}: {@code group/as/dirs/artifact/version/artifact-version[-classifier].type};
     * the type defaults to {@code jar}. A repository prefix ({@code mvn:http://host/repo!g/a/v}) is ignored.
     *
     * @throws IllegalArgumentException when the URL is not such a URL
     */
    public static Path toRepositoryPath(Path repoRoot, String mvnUrl) {
        String url = mvnUrl.trim();
        if (!url.startsWith("mvn:")) {
            throw new IllegalArgumentException(mvnUrl + " is not a mvn: URL (mvn:group/artifact/version[/type[/classifier]])");
        }
        String coords = url.substring(4);
        int bang = coords.lastIndexOf('!');
        if (bang >= 0) {
            coords = coords.substring(bang + 1);
        }
        String[] p = coords.split("/", -1);
        if (p.length < 3 || p.length > 5 || p[0].isBlank() || p[1].isBlank() || p[2].isBlank()) {
            throw new IllegalArgumentException(mvnUrl
                    + " is not a mvn: URL with group, artifact and version (mvn:group/artifact/version[/type[/classifier]])");
        }
        String group = p[0];
        String artifact = p[1];
        String version = p[2];
        String type = p.length > 3 && !p[3].isBlank() ? p[3] : "jar";
        String classifier = p.length > 4 && !p[4].isBlank() ? "-" + p[4] : "";
        Path dir = repoRoot;
        for (String g : group.split("\\.")) {
            dir = dir.resolve(g);
        }
        return dir.resolve(artifact).resolve(version).resolve(artifact + "-" + version + classifier + "." + type);
    }

    private static DocumentBuilder newBuilder() throws IOException {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            DocumentBuilder b = f.newDocumentBuilder();
            b.setErrorHandler(new ErrorHandler() {
                @Override
                public void warning(SAXParseException e) {
                    // not an error
                }

                @Override
                public void error(SAXParseException e) throws SAXException {
                    throw e;
                }

                @Override
                public void fatalError(SAXParseException e) throws SAXException {
                    throw e;
                }
            });
            return b;
        } catch (ParserConfigurationException e) {
            throw new IOException("the JDK's XML parser cannot be configured securely: " + e.getMessage(), e);
        }
    }

    private static List<Element> children(Element parent, String localName) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && localName.equals(localName(e))) {
                out.add(e);
            }
        }
        return out;
    }

    private static String localName(Element e) {
        return e.getLocalName() != null ? e.getLocalName() : e.getTagName();
    }
}
