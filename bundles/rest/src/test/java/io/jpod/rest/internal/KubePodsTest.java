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
        assertTrue(m, m.contains("spec.containers[0].env[0].valueFrom.secretKeyRef is not supported by jpod")
                && m.contains("line 6"));
        m = refused("kind: Pod\nmetadata:\n  name: x\nspec:\n  containers: [ {name: c\n");
        assertTrue(m, m.startsWith("the YAML is malformed at line "));
        assertTrue(refused(POD.replace("resources: {}", "resources: {limits: {nvidia.com/gpu: 1}}"))
                .contains("spec.containers[0].resources.limits.nvidia.com/gpu is not supported"));
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

    private static final String LIMITED = """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: settings
            data:
              MODE: prod
              LEVEL: debug
            ---
            apiVersion: v1
            kind: Pod
            metadata:
              name: shop
            spec:
              containers:
              - name: web
                image: busybox
                envFrom:
                - configMapRef:
                    name: settings
                  prefix: APP_
                env:
                - name: MODE
                  valueFrom:
                    configMapKeyRef:
                      name: settings
                      key: MODE
                - name: APP_LEVEL
                  value: info
                resources:
                  limits:
                    memory: 64Mi
                    cpu: 500m
                  requests:
                    memory: 32M
                    cpu: "0.25"
                securityContext:
                  runAsUser: 1000
                  runAsGroup: 100
                  readOnlyRootFilesystem: true
                  allowPrivilegeEscalation: false
                  capabilities:
                    drop: [ALL]
                    add: [NET_BIND_SERVICE]
            """;

    @Test
    public void resourcesSecurityContextAndConfigMapsBecomeTheContainersOptions() throws Exception {
        List<KubePods.Plan> p = plans(LIMITED);
        assertEquals(1, p.size());
        KubePods.Ctr c = p.get(0).containers().get(0);
        // envFrom first, an env entry of the same name after it and winning
        assertEquals(List.of("APP_MODE=prod", "APP_LEVEL=info", "MODE=prod"), c.env());
        assertEquals(64L << 20, c.options().resources().memory());
        assertEquals(100_000, c.options().resources().cpuPeriod());
        assertEquals(50_000, c.options().resources().cpuQuota());
        assertEquals(32_000_000, c.options().resources().memoryReservation());
        assertEquals(256, c.options().resources().cpuShares());
        assertEquals("1000:100", c.options().user());
        assertTrue(c.options().security().readonlyRootfs());
        assertTrue(c.options().security().noNewPrivileges());
        assertEquals(List.of("ALL"), c.options().security().capDrop());
        assertEquals(List.of("NET_BIND_SERVICE"), c.options().security().capAdd());
    }

    @Test
    public void cpuRequestsBecomeSharesWithinTheKernelsBounds() throws Exception {
        assertEquals(262_144, plans(LIMITED.replace("cpu: \"0.25\"", "cpu: \"300\"")).get(0).containers().get(0)
                .options().resources().cpuShares());
        assertEquals(2, plans(LIMITED.replace("cpu: \"0.25\"", "cpu: 1m")).get(0).containers().get(0).options()
                .resources().cpuShares());
    }

    @Test
    public void whatTheOptionsDoNotSupportIsRefusedByItsPath() throws Exception {
        String huge = refused(LIMITED.replace("cpu: 500m", "cpu: 500m\n        hugepages-2Mi: 1Gi"));
        assertTrue(huge, huge.contains("spec.containers[0].resources.limits.hugepages-2Mi is not supported"));
        String selinux = refused(LIMITED.replace("runAsUser: 1000", "runAsUser: 1000\n      seLinuxOptions: {type: x}"));
        assertTrue(selinux, selinux.contains("spec.containers[0].securityContext.seLinuxOptions is not supported"));
        String memory = refused(LIMITED.replace("memory: 64Mi", "memory: lots"));
        assertTrue(memory, memory.contains("resources.limits.memory lots is not a quantity of bytes"));
        String missing = refused(LIMITED.replace("key: MODE", "key: COLOUR"));
        assertTrue(missing, missing.contains("names key COLOUR, which ConfigMap settings has not")
                && missing.contains("line 9"));
        String noMap = refused(LIMITED.replaceFirst("(configMapRef:\\s+name: )settings", "$1other"));
        assertTrue(noMap, noMap.contains("ConfigMap other, which is not among the documents"));
        // an optional reference to what is not there is no entry
        List<String> env = plans(LIMITED.replaceFirst("key: MODE", "key: COLOUR\n          optional: true"))
                .get(0).containers().get(0).env();
        assertEquals(List.of("APP_MODE=prod", "APP_LEVEL=info"), env);
    }
}
