/** The engine service and its model: containers, pods, volumes, the DB config, errors. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.5.0")
package io.jpod.api;
