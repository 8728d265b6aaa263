package io.jpod.rest.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jpod.api.Container;
import io.jpod.api.ContainerConfig;
import io.jpod.api.ContainerState;
import io.jpod.api.Mount;
import io.jpod.api.Pod;
import io.jpod.api.PortMapping;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.Test;

/** Kubernetes YAML read into pods to play, refused with the field and line named, and written back. */
public class KubePodsTest {
    private static List<KubePods.Plan> plans(String yaml) throws Exception {
        return KubePods.plans(KubeYaml.read(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))));
    }

    private static String refused(String yaml) {
        return assertThrows(ApiException.class, () -> plans(yaml)).getMessage();
    }

    private static final String POD = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: web
              labels:
                app: web
            spec:
              restartPolicy: OnFailure
              volumes:
              - name: data
                hostPath:
                  path: /srv/data
                  type: DirectoryOrCreate
              - name: scratch
                emptyDir: {}
              - name: claim
                persistentVolumeClaim:
                  claimName: webdata
              containers:
              - name: srv
                image: busybox
                imagePullPolicy: IfNotPresent
                command: [sh, -c]
                args: [httpd -f]
                workingDir: /srv
                env:
                - name: MODE
                  value: "1"
                ports:
                - containerPort: 80
                  hostPort: 18080
                volumeMounts:
                - name: data
                  mountPath: /srv/data
                  readOnly: true
                - name: scratch
                  mountPath: /tmp/s
                - name: claim
                  mountPath: /var/lib/web
                resources: {}
            """;

    @Test
    public void aPodAndItsContainers() throws Exception {
        List<KubePods.Plan> p = plans(POD);
        assertEquals(1, p.size());
        KubePods.Plan web = p.get(0);
        assertEquals("web", web.name());
        assertEquals(Map.of("app", "web"), web.labels());
        assertEquals(List.of(new PortMapping("", 18080, 80, "tcp", 1)), web.ports());
        KubePods.Ctr c = web.containers().get(0);
        assertEquals("web-srv", c.name());
        assertEquals(List.of("sh", "-c"), c.command());
        assertEquals(List.of("httpd -f"), c.args());
        assertEquals(List.of("MODE=1"), c.env());
        assertEquals("/srv", c.workingDir());
        assertEquals("on-failure", c.restartPolicy());
        assertEquals(List.of(new Mount("bind", "/srv/data", "/srv/data", List.of("ro")),
                new Mount("volume", "", "/tmp/s", List.of()),
                new Mount("volume", "webdata", "/var/lib/web", List.of())), c.mounts());
        assertEquals(new KubePods.HostPath("/srv/data", "DirectoryOrCreate"), web.hostPaths().get("data"));
    }

    @Test
    public void aDeploymentOfOneReplica() throws Exception {
        String yaml = """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: app
                spec:
                  replicas: 1
                  selector:
                    matchLabels: {app: app}
                  template:
                    metadata:
                      labels: {app: app}
                    spec:
                      containers:
                      - name: main
                        image: busybox
                ---
                """ + POD;
        List<KubePods.Plan> p = plans(yaml);
        assertEquals(List.of("app-pod", "web"), p.stream().map(KubePods.Plan::name).toList());
        assertEquals("app-pod-main", p.get(0).containers().get(0).name());
        assertEquals(List.of("app-pod", "web"), KubePods.names(KubeYaml.read(new ByteArrayInputStream(
                yaml.getBytes(StandardCharsets.UTF_8)))));
        assertTrue(refused(yaml.replace("replicas: 1", "replicas: 3")).contains("spec.replicas 3 is not supported"));
    }

    @Test
    public void whatIsRefusedIsNamedWithItsLine() {
        String m = refused("apiVersion: v1\nkind: Service\nmetadata: {name: s}\n");
        assertTrue(m, m.contains("kind Service is not supported by jpod") && m.endsWith("(in the document at line 1)"));
        String second = "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec: {containers: [{name: c, image: i}]}\n"
                + "---\napiVersion: v1\nkind: Pod\nmetadata: {name: b}\nspec: {containers: [{name: c, image: i, "
                + "env: [{name: X, valueFrom: {secretKeyRef: {name: s, key: k}}}]}]}\n";
        m = refused(second);
        assertTrue(m, m.contains("spec.containers[0].env[0].valueFrom is not supported by jpod")
                && m.contains("line 6"));
        m = refused("kind: Pod\nmetadata:\n  name: x\nspec:\n  containers: [ {name: c\n");
        assertTrue(m, m.startsWith("the YAML is malformed at line "));
        assertTrue(refused(POD.replace("resources: {}", "resources: {limits: {memory: 1Gi}}"))
                .contains("spec.containers[0].resources is not supported"));
        assertTrue(refused(POD.replace("restartPolicy: OnFailure", "hostNetwork: true"))
                .contains("spec.hostNetwork is not supported"));
        assertTrue(refused(POD.replace("- name: claim\n      mountPath", "- name: nope\n      mountPath"))
                .contains("names no volume"));
        assertTrue(refused("").contains("no Kubernetes object"));
        assertTrue(refused("- a\n- b\n").contains("not a Kubernetes object"));
        // a billion laughs is not expanded: it is refused at once as what it is, no Kubernetes object
        StringBuilder laughs = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x]\n");
        for (char c = 'b'; c <= 'k'; c++) {
            char p = (char) (c - 1);
            laughs.append(c).append(": &").append(c).append(" [*").append(p).append(", *").append(p).append(", *")
                    .append(p).append(", *").append(p).append("]\n");
        }
        long t0 = System.nanoTime();
        m = refused(laughs.toString());
        assertTrue(m, m.contains("kind is missing") || m.startsWith("the YAML is"));
        assertTrue("took " + (System.nanoTime() - t0) / 1_000_000 + " ms", System.nanoTime() - t0 < 5_000_000_000L);
    }

    @Test
    public void generatedYamlIsReadBackToTheSamePod() throws Exception {
        String podId = "c".repeat(64), infraId = "d".repeat(64);
        Pod pod = new Pod(podId, "web", "", 1, Map.of(), Instant.parse("2026-01-02T03:04:05Z"), infraId,
                List.of("ipc", "net", "uts"), null, List.of());
        Container infra = new Container(ContainerConfig.builder().id(infraId).name("cccccccccccc-infra").pod(podId)
                .portMappings(List.of(new PortMapping("", 18080, 80, "tcp", 1))).build(), ContainerState.configured());
        Container srv = new Container(ContainerConfig.builder().id("e".repeat(64)).name("web-srv").pod(podId)
                .image("busybox").command(List.of("httpd", "-f")).env(List.of("PATH=/bin", "MODE=1"))
                .workingDir("/srv").mounts(List.of(new Mount("bind", "/srv/data", "/srv/data", List.of("ro")),
                        new Mount("volume", "webdata", "/var/lib/web", List.of())))
                .restartPolicy("always").build(), ContainerState.configured());
        ObjectNode doc = KubeGenerate.pod(pod, List.of(infra, srv), image -> List.of("PATH=/bin"));
        String yaml = KubeYaml.write(List.of(doc));
        assertTrue(yaml, yaml.contains("value: \"1\""));
        KubePods.Plan back = plans(yaml).get(0);
        assertEquals("web", back.name());
        assertEquals(List.of(new PortMapping("", 18080, 80, "tcp", 1)), back.ports());
        KubePods.Ctr c = back.containers().get(0);
        assertEquals("web-srv", c.name());
        assertEquals(List.of("httpd", "-f"), c.args());
        assertEquals(List.of("MODE=1"), c.env());
        assertEquals("/srv", c.workingDir());
        assertEquals("always", c.restartPolicy());
        assertEquals(srv.config().mounts(), c.mounts());
    }
}
