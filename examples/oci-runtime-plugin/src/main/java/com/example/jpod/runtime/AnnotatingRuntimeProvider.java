package com.example.jpod.runtime;

import io.jpod.spi.JpodName;
import io.jpod.spi.ProviderContext;
import io.jpod.spi.oci.OciRuntime;
import io.jpod.spi.oci.OciRuntimeProvider;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OCI runtime {@value #NAME}: runc, run by jpod's own conmon machinery, with the annotation
 * {@value #ANNOTATION} on every container it creates.
 *
 * <p>It is registered only while the {@code runc} provider is (a static, mandatory reference): without
 * runc there is nothing to wrap, and the name is reported missing, as any other.
 */
@Component(service = OciRuntimeProvider.class)
@JpodName(AnnotatingRuntimeProvider.NAME)
public class AnnotatingRuntimeProvider implements OciRuntimeProvider {
    /** The name a configuration or a container selects this runtime by. */
    public static final String NAME = "runc-annotated";
    /** The OCI annotation every container created by this runtime carries; its value is {@link #NAME}. */
    public static final String ANNOTATION = "com.example.jpod.runtime";

    private static final Logger LOG = LoggerFactory.getLogger(AnnotatingRuntimeProvider.class);

    private final OciRuntimeProvider runc;

    @Activate
    public AnnotatingRuntimeProvider(@Reference(target = "(jpod.name=runc)") OciRuntimeProvider runc) {
        this.runc = runc;
    }

    @Override
    public OciRuntime open(ProviderContext context) {
        // runc's provider checks its binary and conmon and throws a JpodException naming what is missing;
        // the engine reports that message under this provider's name
        OciRuntime delegate = runc.open(context);
        LOG.debug("OCI runtime {} opened over {}", context.name(), delegate.path());
        return new AnnotatingRuntime(context.name(), delegate);
    }
}
