package io.jpod.api.registry;

import io.jpod.api.JpodException;
import java.io.InputStream;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The distribution protocol to the registries that registries.conf(5) names, with their TLS settings
 * (certs.d) and the stored logins (auth.json). Errors are {@link JpodException}s naming the reference and
 * the registry: NO_SUCH_IMAGE (unknown repository, tag or digest), UNAUTHORIZED (wrong or missing
 * credentials: "run jpod login"), REGISTRY_UNREACHABLE (no answer in time, naming the address),
 * REGISTRY_BLOCKED (registries.conf blocks it), INVALID_ARG (a reference that cannot be parsed, a short name that needs a
 * choice).
 */
@ProviderType
public interface Registries {

    /**
     * Parses and normalises a reference as Docker does ({@code busybox} → {@code docker.io/library/busybox:latest}),
     * without registries.conf's search: for names a user gave fully or docker's API, which always normalises.
     */
    ImageReference parse(String reference);

    /**
     * The fully qualified references a name may mean, in the order to try: a qualified name is itself; a short
     * name goes through registries.conf's aliases, then its unqualified-search-registries, as short-name-mode
     * allows (enforcing with more than one candidate and no alias: INVALID_ARG saying to qualify it).
     */
    List<ImageReference> candidates(String reference);

    /**
     * The image manifest of {@code ref} for {@code platform}: a manifest list or OCI index is resolved to
     * its entry for that platform (NO_SUCH_IMAGE naming the platforms it has when none matches). Its digest
     * is verified; mirrors are tried in order before the registry.
     */
    ImageManifest manifest(ImageReference ref, Platform platform, RegistryOptions options);

    /**
     * A blob of {@code ref}'s repository. The stream checks the digest and size as it is read: reading past
     * the end of a blob whose bytes do not match throws an IOException naming both digests.
     */
    InputStream blob(ImageReference ref, Descriptor blob, RegistryOptions options);

    /** Whether the repository of {@code ref} has the blob already (a push sends it only when not). */
    boolean hasBlob(ImageReference ref, String digest, RegistryOptions options);

    /**
     * Asks the registry to mount a blob of another of its repositories, {@code fromRepository}, into {@code ref}'s
     * ({@code POST /v2/<name>/blobs/uploads/?mount=<digest>&from=<repository>}): true when it did, false when it
     * would not (it answered 202: the blob must be uploaded). Since 1.2.0.
     */
    boolean mountBlob(ImageReference ref, String digest, String fromRepository, RegistryOptions options);

    /** Uploads a blob to {@code ref}'s repository (monolithic or chunked, as the registry allows). */
    void putBlob(ImageReference ref, Descriptor blob, InputStream content, RegistryOptions options);

    /** Uploads a manifest under {@code ref}'s tag (or digest); returns the digest the registry gives it. */
    String putManifest(ImageReference ref, String mediaType, byte[] manifest, RegistryOptions options);

    /**
     * Checks credentials against a registry ({@code GET /v2/} and its token flow) and, when {@code store},
     * writes them to the auth file. UNAUTHORIZED when the registry refuses them.
     */
    void login(String registry, RegistryAuth auth, boolean store, RegistryOptions options);

    /** Removes a registry's stored login; false when there was none. */
    boolean logout(String registry, RegistryOptions options);

    /**
     * Searches registries' catalogs ({@code GET /v2/_catalog}, followed page by page) for repositories whose name
     * contains the term, as podman's {@code search}: a term with a registry ({@code 127.0.0.1:5000/bb}) searches
     * that registry, a term without one the unqualified-search-registries of registries.conf, in order. With
     * {@code listTags} the term names one repository and the answer is its tags ({@code /v2/<name>/tags/list}).
     * Docker Hub ({@code docker.io}) is asked through its search API instead. Errors: INVALID_ARG for an empty
     * term, a negative limit, a tag or digest in the term with {@code listTags}, and for a registry that serves no
     * catalog ("registry X does not serve a catalog: search needs one"); the registry errors of the other calls.
     * Since 1.2.0.
     *
     * @param limit at most this many results per registry; 0 for 25, podman's and docker's default
     */
    List<SearchResult> search(String term, int limit, boolean listTags, RegistryOptions options);

    /** The platform this host runs images of (linux, its architecture, its variant where it has one). */
    Platform hostPlatform();
}
