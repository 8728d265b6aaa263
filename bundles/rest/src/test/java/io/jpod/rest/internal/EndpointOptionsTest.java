package io.jpod.rest.internal;

import static org.junit.Assert.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jpod.api.PerNetworkOptions;
import java.util.List;
import java.util.Map;
import org.junit.Test;

public class EndpointOptionsTest {
    private final ObjectMapper json = new ObjectMapper();

    @Test
    public void dockerCreateTakesEveryEndpointAndTheOldTopLevelMac() throws Exception {
        // docker run --network n1 --ip 10.97.0.5 --mac-address ... at API 1.44: per endpoint
        var body = json.readTree("""
                {"Image": "busybox", "HostConfig": {"NetworkMode": "n1"}, "NetworkingConfig": {"EndpointsConfig": {
                  "n1": {"IPAMConfig": {"IPv4Address": "10.97.0.5"}, "IPAddress": "10.97.0.5",
                         "MacAddress": "02:42:0a:61:00:05"},
                  "n2": {}}}}""");
        assertEquals(Map.of("n1", new PerNetworkOptions(List.of("10.97.0.5"), "02:42:0a:61:00:05"),
                "n2", PerNetworkOptions.NONE), EndpointOptions.dockerCreate(body, "n1"));
        // before 1.44 the MAC address came at the top level, for the container's network
        var old = json.readTree("""
                {"Image": "busybox", "MacAddress": "02:42:0a:61:00:06"}""");
        assertEquals(Map.of("default", new PerNetworkOptions(List.of(), "02:42:0a:61:00:06")),
                EndpointOptions.dockerCreate(old, "default"));
    }

    @Test
    public void dockerConnectAndLibpodsPerNetworkOptions() throws Exception {
        assertEquals(new PerNetworkOptions(List.of("10.97.0.7", "fd00::7"), null), EndpointOptions.docker(json.readTree(
                "{\"IPAMConfig\": {\"IPv4Address\": \"10.97.0.7\", \"IPv6Address\": \"fd00::7\"}, \"MacAddress\": \"\"}")));
        assertEquals(PerNetworkOptions.NONE, EndpointOptions.docker(json.readTree("null")));
        assertEquals(new PerNetworkOptions(List.of("10.97.0.8"), "02:00:00:00:00:08"), EndpointOptions.libpod(json.readTree(
                "{\"container\": \"c\", \"static_ips\": [\"10.97.0.8\"], \"static_mac\": \"02:00:00:00:00:08\"}")));
        // a malformed address is passed on as given: the engine refuses it with podman's words
        assertEquals(List.of("10.97.0.300"), EndpointOptions.libpod(json.readTree(
                "{\"static_ips\": [\"10.97.0.300\"]}")).staticIps());
    }
}
