package io.jpod.spi;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * Component property type for a provider's name: {@code @JpodName("mapdb")} gives the service
 * property {@code jpod.name=mapdb}, the name the configuration selects it by.
 */
@ComponentPropertyType
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface JpodName {
    /** The service property every provider carries. */
    String PROPERTY = "jpod.name";

    /** The provider's name: what {@code jpod.conf} (or a container's configuration) selects it by. */
    String value();
}
