package io.jpod.registry.internal;

import io.jpod.api.registry.Descriptor;
import io.jpod.api.registry.ImageManifest;
import io.jpod.api.registry.ImageReference;
import io.jpod.api.registry.Platform;
import io.jpod.api.registry.Registries;
import io.jpod.api.registry.RegistryAuth;
import io.jpod.api.registry.RegistryOptions;
import io.jpod.api.registry.SearchResult;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The {@link Registries} service. Its configuration (PID {@code io.jpod.registry}) says where registries.conf and
 * certs.d are; a framework property {@code jpod.registries.conf} (or {@code jpod.certs.d}, a comma-separated list)
 * is used when the configuration does not say.
 */
@Component(service = Registries.class, configurationPid = "io.jpod.registry")
@Designate(ocd = RegistriesComponent.Config.class)
public final class RegistriesComponent implements Registries {

    @ObjectClassDefinition(name = "jpod registries", description = "registries.conf(5), certs.d and time limits for"
            + " pulls and pushes")
    public @interface Config {
        @AttributeDefinition(name = "registries.conf", description = "jpod's own registries.conf, read after the"
                + " system's and its drop-ins; empty for none (then the framework property jpod.registries.conf)")
        String registries_conf() default "";

        @AttributeDefinition(name = "system registries.conf", description = "the shared registries.conf; empty for none")
        String registries_conf_system() default "/etc/containers/registries.conf";

        @AttributeDefinition(name = "registries.conf.d", description = "the drop-in directory; empty for none")
        String registries_conf_d() default "/etc/containers/registries.conf.d";

        @AttributeDefinition(name = "certs.d", description = "directories of <host:port>/*.crt, *.cert, *.key; empty"
                + " for the framework property jpod.certs.d, else /etc/containers/certs.d and /etc/docker/certs.d")
        String[] certs_d() default {};

        @AttributeDefinition(name = "connect timeout (s)")
        int connect_timeout() default 10;

        @AttributeDefinition(name = "answer timeout (s)", description = "how long a registry may take to answer a"
                + " request (its headers)")
        int request_timeout() default 30;
    }

    private final RegistryService service;

    @Activate
    public RegistriesComponent(Config config, BundleContext context) {
        String override = config.registries_conf();
        if (override.isEmpty() && context.getProperty("jpod.registries.conf") != null) {
            override = context.getProperty("jpod.registries.conf");
        }
        List<Path> certs = new ArrayList<>();
        for (String c : config.certs_d()) {
            if (!c.isBlank()) {
                certs.add(Path.of(c.trim()));
            }
        }
        String certsProp = context.getProperty("jpod.certs.d");
        if (certs.isEmpty() && certsProp != null) {
            for (String c : certsProp.split(",")) {
                if (!c.isBlank()) {
                    certs.add(Path.of(c.trim()));
                }
            }
        }
        if (certs.isEmpty()) {
            certs.addAll(CertsDir.DEFAULT_ROOTS);
        }
        RegistryService.Settings d = RegistryService.Settings.defaults();
        this.service = new RegistryService(new RegistryService.Settings(path(config.registries_conf_system()),
                path(config.registries_conf_d()), path(override), certs,
                Duration.ofSeconds(Math.max(1, config.connect_timeout())),
                Duration.ofSeconds(Math.max(1, config.request_timeout())), d.env(), d.root()));
    }

    private static Path path(String p) {
        return p == null || p.isBlank() ? null : Path.of(p.trim());
    }

    @Deactivate
    void deactivate() {
        service.close();
    }

    @Override
    public ImageReference parse(String reference) {
        return service.parse(reference);
    }

    @Override
    public List<ImageReference> candidates(String reference) {
        return service.candidates(reference);
    }

    @Override
    public ImageManifest manifest(ImageReference ref, Platform platform, RegistryOptions options) {
        return service.manifest(ref, platform, options);
    }

    @Override
    public InputStream blob(ImageReference ref, Descriptor blob, RegistryOptions options) {
        return service.blob(ref, blob, options);
    }

    @Override
    public boolean hasBlob(ImageReference ref, String digest, RegistryOptions options) {
        return service.hasBlob(ref, digest, options);
    }

    @Override
    public boolean mountBlob(ImageReference ref, String digest, String fromRepository, RegistryOptions options) {
        return service.mountBlob(ref, digest, fromRepository, options);
    }

    @Override
    public List<SearchResult> search(String term, int limit, boolean listTags, RegistryOptions options) {
        return service.search(term, limit, listTags, options);
    }

    @Override
    public void putBlob(ImageReference ref, Descriptor blob, InputStream content, RegistryOptions options) {
        service.putBlob(ref, blob, content, options);
    }

    @Override
    public String putManifest(ImageReference ref, String mediaType, byte[] manifest, RegistryOptions options) {
        return service.putManifest(ref, mediaType, manifest, options);
    }

    @Override
    public void login(String registry, RegistryAuth auth, boolean store, RegistryOptions options) {
        service.login(registry, auth, store, options);
    }

    @Override
    public boolean logout(String registry, RegistryOptions options) {
        return service.logout(registry, options);
    }

    @Override
    public Platform hostPlatform() {
        return service.hostPlatform();
    }
}
