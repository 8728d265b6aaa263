/** The engine's services, one per resource (containers, exec sessions, pods, volumes, networks, events, the
 * system), and their model: containers, pods, volumes, the DB config, errors. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.15.0")
package io.jpod.api;
