package io.jpod.rest.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jpod.api.Container;
import io.jpod.api.ContainerConfig;
import io.jpod.api.ContainerState;
import io.jpod.api.ContainerStatus;
import io.jpod.api.PodSpec;
import io.jpod.api.PortMapping;
import java.util.List;
import java.util.Map;
import org.junit.Test;

/** libpod's pod create body, as podman 4.3.1's client sends it, read into a PodSpec or refused by name. */
public class PodCreateRequestTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static PodSpec read(String body) throws Exception {
        return PodCreateRequest.read(JSON.readTree(body));
    }

    private static String refused(String body) {
        return assertThrows(ApiException.class, () -> read(body)).getMessage();
    }

    /** The body `podman --remote pod create --name p -p 18181:80 --hostname hh --network podman` sends. */
    @Test
    public void podmansCreateBody() throws Exception {
        PodSpec s = read("""
                {"name":"p","hostname":"hh","exit_policy":"continue","shared_namespaces":["ipc","net","uts"],
                 "share_parent":true,"pod_create_command":["podman","pod","create"],"pidns":{"nsmode":"private"},
                 "userns":{},"utsns":{},"netns":{"nsmode":"bridge"},
                 "portmappings":[{"host_ip":"","container_port":80,"host_port":18181,"range":1,"protocol":""}],
                 "Networks":{"podman":{"interface_name":""}},"resource_limits":{"cpu":{}},
                 "idmappings":{"HostUIDMapping":true,"HostGIDMapping":true,"UIDMap":null,"GIDMap":null,
                   "AutoUserNs":false,"AutoUserNsOpts":{"Size":0,"InitialSize":0,"PasswdFile":"","GroupFile":"",
                   "AdditionalUIDMappings":null,"AdditionalGIDMappings":null}}}""");
        assertEquals("p", s.name());
        assertEquals("hh", s.hostname());
        assertEquals(List.of("ipc", "net", "uts"), s.sharedNamespaces());
        assertTrue(s.infra());
        assertEquals(List.of(new PortMapping("", 18181, 80, "tcp", 1)), s.portMappings());
        assertEquals(List.of("podman"), s.networks());
        assertEquals("bridge", s.networkMode());
        assertEquals(List.of("podman", "pod", "create"), s.createCommand());
    }

    @Test
    public void withoutInfraAndDefaults() throws Exception {
        PodSpec s = read("{\"name\":\"q\",\"no_infra\":true,\"netns\":{},\"Networks\":null}");
        assertFalse(s.infra());
        assertNull(s.sharedNamespaces());
        assertNull(s.hostname());
        assertEquals(List.of(), s.networks());
    }

    @Test
    public void unsupportedFieldsAreRefusedByName() {
        assertTrue(refused("{\"no_manage_resolv_conf\":true}").contains("no_manage_resolv_conf"));
        assertTrue(refused("{\"infra_image\":\"k8s.gcr.io/pause\"}").contains("infra_image"));
        assertTrue(refused("{\"exit_policy\":\"stop\"}").contains("exit_policy stop"));
        assertTrue(refused("{\"netns\":{\"nsmode\":\"slirp4netns\"}}").contains("netns mode slirp4netns"));
        assertTrue(refused("{\"pidns\":{\"nsmode\":\"host\"}}").contains("pidns mode host"));
        assertTrue(refused("{\"Networks\":{\"n1\":{\"aliases\":[\"x\"]}}}").contains("Networks.n1.aliases"));
        assertTrue(refused("{\"idmappings\":{\"HostUIDMapping\":false}}").contains("idmappings"));
        assertTrue(refused("{\"share_parent\":\"no\"}").contains("share_parent"));
    }

    @Test
    public void fieldsOfTheWrongTypeAreNamed() {
        assertTrue(refused("{\"name\":5}").contains("name"));
        assertTrue(refused("{\"portmappings\":[{\"container_port\":70000}]}").contains("portmappings[0].container_port"));
        assertTrue(refused("{\"netns\":\"bridge\"}").contains("netns"));
        assertTrue(refused("[]").contains("JSON object"));
        assertTrue(refused("{\"netns\":{\"nsmode\":\"none\"},\"portmappings\":[{\"container_port\":80}]}")
                .contains("ports"));
    }

    private static Container ctr(ContainerStatus st) {
        ContainerConfig cfg = ContainerConfig.builder().id("a".repeat(64)).name("c").build();
        return new Container(cfg, ContainerState.configured().withStatus(st));
    }

    /** libpod's pod states from its containers'. */
    @Test
    public void podStatus() {
        assertEquals("Created", PodView.status(List.of()));
        assertEquals("Created", PodView.status(List.of(ctr(ContainerStatus.CONFIGURED), ctr(ContainerStatus.CREATED))));
        assertEquals("Running", PodView.status(List.of(ctr(ContainerStatus.RUNNING), ctr(ContainerStatus.RUNNING))));
        assertEquals("Degraded", PodView.status(List.of(ctr(ContainerStatus.RUNNING), ctr(ContainerStatus.EXITED))));
        assertEquals("Exited", PodView.status(List.of(ctr(ContainerStatus.EXITED), ctr(ContainerStatus.STOPPED))));
        assertEquals("Stopped", PodView.status(List.of(ctr(ContainerStatus.EXITED), ctr(ContainerStatus.CREATED))));
        assertEquals("Paused", PodView.status(List.of(ctr(ContainerStatus.PAUSED))));
    }

    @Test
    public void podFilters() throws Exception {
        io.jpod.api.Pod pod = new io.jpod.api.Pod("b".repeat(64), "web", "", 1, Map.of("app", "x"), null, null);
        PodsApi.PodEntry e = new PodsApi.PodEntry(pod, List.of(ctr(ContainerStatus.RUNNING)), List.of("net1"));
        assertTrue(PodsApi.filter(JSON.readTree("{\"name\":[\"^we\"],\"label\":[\"app=x\"]}")).test(e));
        assertFalse(PodsApi.filter(JSON.readTree("{\"label\":[\"app=y\"]}")).test(e));
        assertTrue(PodsApi.filter(JSON.readTree("{\"status\":[\"running\"],\"ctr-names\":[\"c\"]}")).test(e));
        assertTrue(PodsApi.filter(JSON.readTree("{\"ctr-number\":[\"1\"],\"network\":[\"net1\"]}")).test(e));
        assertFalse(PodsApi.filter(JSON.readTree("{\"ctr-status\":[\"exited\"]}")).test(e));
        assertTrue(assertThrows(ApiException.class, () -> PodsApi.filter(JSON.readTree("{\"bogus\":[\"1\"]}")))
                .getMessage().contains("\"bogus\" is an invalid pod filter"));
    }

    /** The body `podman --remote pod create --dns 10.0.0.53 --dns-search ex.org --dns-option ndots:1 --ip .. --mac-address ..` sends. */
    @Test
    public void dnsAndStaticAddressesGoToTheSpec() throws Exception {
        PodSpec s = PodCreateRequest.read(JSON.readTree("""
                {"Networks":{"default":{"static_ips":["10.88.0.77"],"static_mac":"92:d0:c6:0a:29:33"}},
                 "dns_server":["10.0.0.53"],"dns_search":["ex.org"],"dns_option":["ndots:1"],
                 "no_infra":false,"share_parent":true}"""), "podman");
        assertEquals(List.of("10.0.0.53"), s.dns().servers());
        assertEquals(List.of("ex.org"), s.dns().searches());
        assertEquals(List.of("ndots:1"), s.dns().options());
        // "default" is the engine's default network, which the pod joins without naming it
        assertEquals(List.of(), s.networks());
        assertEquals(List.of("10.88.0.77"), s.networkOptions().get("podman").staticIps());
        assertEquals("92:d0:c6:0a:29:33", s.networkOptions().get("podman").staticMac());
    }

    @Test
    public void badDnsValuesAreRefusedNamingTheField() {
        assertTrue(refused("{\"dns_server\":[\"foo\"]}"), refused("{\"dns_server\":[\"foo\"]}")
                .contains("dns_server: foo is not an ip address"));
        assertTrue(refused("{\"dns_search\":[\"a b\"]}").contains("dns_search: a b is not a valid domain"));
        assertTrue(refused("{\"dns_option\":[\"a\\nb\"]}").contains("dns_option"));
        assertTrue(refused("{\"dns_server\":\"1.1.1.1\",\"dns_search\":[5]}").contains("dns_search"));
    }
}
