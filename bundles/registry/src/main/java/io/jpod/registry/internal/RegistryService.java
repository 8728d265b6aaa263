package io.jpod.registry.internal;

import io.jpod.api.ErrorCode;
import io.jpod.api.JpodException;
import io.jpod.api.registry.Descriptor;
import io.jpod.api.registry.ImageManifest;
import io.jpod.api.registry.ImageReference;
import io.jpod.api.registry.Platform;
import io.jpod.api.registry.Registries;
import io.jpod.api.registry.RegistryAuth;
import io.jpod.api.registry.RegistryOptions;
import io.jpod.api.registry.SearchResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Registries} over its parts: {@link ReferenceParser} for names, {@link RegistriesConf} (reloaded when one
 * of its files changes) for short names, mirrors, insecure and blocked registries, {@link RegistryClient} for the
 * protocol, {@link AuthFiles} for stored logins. Mirrors are tried in order before the registry: any failure at a
 * mirror (not there, not answering, refusing) falls through to the next source; the registry's own failure is the
 * one reported.
 */
public final class RegistryService implements Registries {
    private static final Logger LOG = LoggerFactory.getLogger(RegistryService.class);

    /**
     * What the service reads.
     *
     * @param systemConf {@code /etc/containers/registries.conf}, or null for none
     * @param dropIns    {@code /etc/containers/registries.conf.d}, or null for none
     * @param override   jpod's own registries.conf, read last, or null
     * @param certsRoots the certs.d directories
     * @param env        the environment for the auth files' paths
     * @param root       whether the service runs as root
     */
    public record Settings(Path systemConf, Path dropIns, Path override, List<Path> certsRoots,
            Duration connectTimeout, Duration requestTimeout, Map<String, String> env, boolean root) {
        public Settings {
            certsRoots = List.copyOf(certsRoots);
            env = Map.copyOf(env);
        }

        /** The system's files, 10 s to connect, 30 s for an answer, this process's environment. */
        public static Settings defaults() {
            return new Settings(Path.of("/etc/containers/registries.conf"), Path.of("/etc/containers/registries.conf.d"),
                    null, CertsDir.DEFAULT_ROOTS, Duration.ofSeconds(10), Duration.ofSeconds(30), System.getenv(),
                    isRoot());
        }

        static boolean isRoot() {
            try {
                return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
            } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
                return "root".equals(System.getProperty("user.name"));
            }
        }
    }

    private final Settings settings;
    private final RegistryHttp http;
    private final RegistryClient client;
    private final AuthFiles authFiles;
    private final CatalogSearch catalogSearch;
    private List<Object> confKey;
    private RegistriesConf conf;

    public RegistryService(Settings settings) {
        this.settings = settings;
        this.http = new RegistryHttp(new CertsDir(settings.certsRoots()), settings.connectTimeout(),
                settings.requestTimeout());
        this.client = new RegistryClient(http, new TokenAuth(http, Clock.systemUTC()));
        this.authFiles = new AuthFiles(settings.env(), settings.root());
        this.catalogSearch = new CatalogSearch(http, client);
    }

    public void close() {
        http.close();
    }

    /** registries.conf as its files are now: read again when one was added, removed or changed. */
    public synchronized RegistriesConf conf() {
        List<Path> files = RegistriesConf.files(settings.systemConf(), settings.dropIns(), settings.override());
        List<Object> key = new ArrayList<>();
        for (Path f : files) {
            key.add(f);
            try {
                key.add(Files.getLastModifiedTime(f));
                key.add(Files.size(f));
            } catch (IOException e) {
                key.add(e.toString());
            }
        }
        if (!key.equals(confKey)) {
            conf = RegistriesConf.load(files);
            confKey = key;
            LOG.debug("registries.conf read from {}", files);
        }
        return conf;
    }

    @Override
    public ImageReference parse(String reference) {
        return ReferenceParser.parse(reference);
    }

    @Override
    public List<ImageReference> candidates(String reference) {
        return conf().candidates(reference);
    }

    private static RegistryOptions opts(RegistryOptions o) {
        return o == null ? RegistryOptions.defaults() : o;
    }

    private RegistryClient.Target target(RegistriesConf.Source s, RegistryOptions o) {
        boolean insecure = o.tlsVerify() == null ? s.insecure() : !o.tlsVerify();
        RegistryAuth creds = o.auth() != null ? o.auth()
                : authFiles.lookup(s.ref().registry(), s.ref().repository(), o.authFile());
        return new RegistryClient.Target(s.ref(), insecure, creds);
    }

    private interface Call<T> {
        T at(RegistriesConf.Source s);
    }

    /** {@code call} at each pull source in turn: a mirror's failure moves on, the registry's is thrown. */
    private <T> T pull(ImageReference ref, Call<T> call) {
        List<String> tried = new ArrayList<>();
        for (RegistriesConf.Source s : conf().pullSources(ref)) {
            try {
                return call.at(s);
            } catch (JpodException e) {
                if (!s.mirror()) {
                    if (tried.isEmpty()) {
                        throw e;
                    }
                    throw new JpodException(e.code(), e.getMessage() + " (mirrors tried first: "
                            + String.join("; ", tried) + ")", e);
                }
                LOG.info("mirror {} of {}: {}; trying the next source", s.ref().registry(), ref.registry(),
                        e.getMessage());
                tried.add(s.ref().registry() + ": " + e.getMessage());
            }
        }
        throw new IllegalStateException("no pull source for " + ref); // pullSources always ends with the registry
    }

    @Override
    public ImageManifest manifest(ImageReference ref, Platform platform, RegistryOptions options) {
        RegistryOptions o = opts(options);
        Platform want = platform == null ? hostPlatform() : platform;
        return pull(ref, s -> {
            RegistryClient.Target t = target(s, o);
            RegistryClient.Fetched f = client.manifest(t, s.ref().tagOrDigest());
            Manifests.Parsed p = Manifests.parse(ref, f.raw(), f.mediaType());
            String indexDigest = null;
            if (p.index()) {
                Descriptor d = Platforms.select(ref, p.manifests(), want);
                indexDigest = f.digest();
                f = client.manifest(t, d.digest());
                p = Manifests.parse(ref, f.raw(), f.mediaType());
                if (p.index()) {
                    throw new JpodException(ErrorCode.INVALID_ARG, "image " + ref + ": the manifest list's entry for "
                            + want + " is a manifest list again");
                }
            }
            return new ImageManifest(ref.withDigest(f.digest()), p.mediaType(), f.raw(), p.config(), p.layers(),
                    indexDigest);
        });
    }

    @Override
    public InputStream blob(ImageReference ref, Descriptor blob, RegistryOptions options) {
        RegistryOptions o = opts(options);
        return pull(ref, s -> client.blob(target(s, o), blob));
    }

    @Override
    public boolean hasBlob(ImageReference ref, String digest, RegistryOptions options) {
        RegistryOptions o = opts(options);
        return client.hasBlob(target(conf().pushSource(ref), o), digest, "pull,push");
    }

    @Override
    public boolean mountBlob(ImageReference ref, String digest, String fromRepository, RegistryOptions options) {
        RegistryOptions o = opts(options);
        if (fromRepository == null || fromRepository.isEmpty() || fromRepository.equals(ref.repository())) {
            return false;
        }
        return client.mountBlob(target(conf().pushSource(ref), o), digest, fromRepository);
    }

    @Override
    public List<SearchResult> search(String term, int limit, boolean listTags, RegistryOptions options) {
        RegistryOptions o = opts(options);
        RegistriesConf c = conf();
        return catalogSearch.search(term, limit, listTags, c.unqualifiedSearchRegistries(),
                ref -> target(c.pushSource(ref), o));
    }

    @Override
    public void putBlob(ImageReference ref, Descriptor blob, InputStream content, RegistryOptions options) {
        RegistryOptions o = opts(options);
        client.putBlob(target(conf().pushSource(ref), o), blob, content);
    }

    @Override
    public String putManifest(ImageReference ref, String mediaType, byte[] manifest, RegistryOptions options) {
        RegistryOptions o = opts(options);
        String where = ref.tag() != null ? ref.tag() : ref.digest();
        if (where == null) {
            throw new JpodException(ErrorCode.INVALID_ARG, "push of " + ref + " needs a tag or a digest");
        }
        return client.putManifest(target(conf().pushSource(ref), o), where, mediaType, manifest);
    }

    @Override
    public void login(String registry, RegistryAuth auth, boolean store, RegistryOptions options) {
        RegistryOptions o = opts(options);
        if (registry == null || registry.isEmpty()) {
            throw new JpodException(ErrorCode.INVALID_ARG, "login needs a registry");
        }
        String reg = ReferenceParser.registryAddress(registry);
        if (auth == null || (auth.username() == null || auth.username().isEmpty() || auth.password() == null)
                && (auth.identityToken() == null || auth.identityToken().isEmpty())) {
            throw new JpodException(ErrorCode.INVALID_ARG, "login to " + reg
                    + " needs a user name and a password (or an identity token)");
        }
        RegistriesConf c = conf();
        c.pushSource(new ImageReference(reg, "x", "latest", null)); // REGISTRY_BLOCKED when blocked
        boolean insecure = o.tlsVerify() == null ? c.insecure(reg) : !o.tlsVerify();
        client.login(reg, insecure, auth);
        if (store) {
            Path f = authFiles.store(reg, auth, o.authFile());
            LOG.info("login to {} as {} stored in {}", reg, auth.username(), f);
        }
    }

    @Override
    public boolean logout(String registry, RegistryOptions options) {
        return authFiles.remove(ReferenceParser.normaliseRegistry(registry), opts(options).authFile());
    }

    @Override
    public Platform hostPlatform() {
        return Platforms.host();
    }
}
