package dev.sluice.deploy.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.sluice.deploy.config.ConfigLoader;
import dev.sluice.deploy.config.RawConfig;
import dev.sluice.deploy.config.SluiceConfig;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Checks deploy/k8s without a cluster: every document parses into its typed Kubernetes (fabric8) object with no
 * field the type does not know; every Deployment has liveness and readiness probes on the health endpoints, resources,
 * a PodDisruptionBudget, a Service and a ServiceMonitor endpoint; the ConfigMap and Secret hold only Sluice settings
 * and together load and validate with the real config loader; the PrometheusRule holds exactly the rule groups of
 * deploy/prometheus/sluice-rules.yml. Not checked here (no cluster, no kubeconform, no kustomize binary): API-server
 * admission, CRD schemas beyond fabric8's types, and the kustomize build itself.
 */
class K8sManifestsTest {
  private static final Path DIR = Path.of("k8s");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
  private static final Map<String, Class<? extends HasMetadata>> TYPES = Map.of(
      "Deployment", Deployment.class,
      "Service", Service.class,
      "PodDisruptionBudget", PodDisruptionBudget.class,
      "ConfigMap", ConfigMap.class,
      "Secret", Secret.class,
      "ServiceAccount", ServiceAccount.class,
      "Job", Job.class,
      "ServiceMonitor", ServiceMonitor.class,
      "PrometheusRule", PrometheusRule.class);
  /** The commands the images run (Main's), and the port each part listens on. */
  private static final Map<String, Integer> PARTS = Map.of("gateway", 8080, "console", 8081, "demo", 8082);
  /** What the Jib images set (deploy/pom.xml) on top of the manifests. */
  private static final Map<String, String> IMAGE_ENV = Map.of(
      "SLUICE_GATEWAY_HOST", "0.0.0.0", "SLUICE_CONSOLE_HOST", "0.0.0.0", "SLUICE_DEMO_HOST", "0.0.0.0");

  private static final List<Document> DOCUMENTS = new ArrayList<>();

  /** One YAML document of one file, raw and typed. */
  private record Document(Path file, JsonNode raw, HasMetadata typed) {
    String kind() {
      return typed.getKind();
    }

    String name() {
      return typed.getMetadata().getName();
    }
  }

  @BeforeAll
  static void parseAll() throws IOException {
    try (Stream<Path> files = Files.list(DIR)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        if (file.getFileName().toString().equals("kustomization.yaml")) {
          continue;
        }
        for (JsonNode doc : YAML.readerFor(JsonNode.class).<JsonNode>readValues(file.toFile()).readAll()) {
          if (doc == null || doc.isNull() || doc.isEmpty()) {
            continue;
          }
          String kind = doc.path("kind").asText();
          Class<? extends HasMetadata> type = TYPES.get(kind);
          assertNotNull(type, file + ": kind " + kind + " is not one this test knows");
          HasMetadata typed = YAML.treeToValue(doc, type);
          List<String> unknown = new ArrayList<>();
          unknownFields(typed, kind + " " + typed.getMetadata().getName(), unknown);
          assertEquals(List.of(), unknown, file + ": fields " + kind + " does not have (misspelt or misplaced?)");
          assertEquals(expectedApiVersion(kind), typed.getApiVersion(), file + " " + kind);
          DOCUMENTS.add(new Document(file, doc, typed));
        }
      }
    }
  }

  private static String expectedApiVersion(String kind) {
    return switch (kind) {
      case "Deployment" -> "apps/v1";
      case "PodDisruptionBudget" -> "policy/v1";
      case "Job" -> "batch/v1";
      case "ServiceMonitor", "PrometheusRule" -> "monitoring.coreos.com/v1";
      default -> "v1";
    };
  }

  /**
   * fabric8's types keep fields they do not know in {@code additionalProperties} rather than failing; any entry there
   * is a field Kubernetes would refuse or silently drop.
   */
  private static void unknownFields(Object o, String path, List<String> problems) {
    if (o == null) {
      return;
    }
    if (o instanceof Collection<?> c) {
      int i = 0;
      for (Object x : c) {
        unknownFields(x, path + "[" + i++ + "]", problems);
      }
      return;
    }
    if (o instanceof Map<?, ?> m) {
      m.forEach((k, v) -> unknownFields(v, path + "." + k, problems));
      return;
    }
    if (!o.getClass().getName().startsWith("io.fabric8.")) {
      return;
    }
    for (Method method : o.getClass().getMethods()) {
      if (method.getParameterCount() != 0 || !method.getName().startsWith("get")
          || method.getDeclaringClass() == Object.class || method.getName().equals("getNumericalAmount")) {
        continue;
      }
      Object value;
      try {
        value = method.invoke(o);
      } catch (IllegalAccessException | InvocationTargetException e) {
        continue;
      }
      if (method.getName().equals("getAdditionalProperties")) {
        if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
          problems.add(path + ": " + extra.keySet());
        }
      } else {
        unknownFields(value, path + "." + method.getName().substring(3), problems);
      }
    }
  }

  private static <T extends HasMetadata> List<T> all(Class<T> type) {
    return DOCUMENTS.stream().map(Document::typed).filter(type::isInstance).map(type::cast).toList();
  }

  private static <T extends HasMetadata> T named(Class<T> type, String name) {
    return all(type).stream().filter(o -> o.getMetadata().getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name));
  }

  @Test
  void kustomizationListsEveryManifestAndImage() throws IOException {
    JsonNode k = YAML.readTree(DIR.resolve("kustomization.yaml").toFile());
    Set<String> listed = new TreeSet<>();
    k.path("resources").forEach(r -> listed.add(r.asText()));
    Set<String> files = new TreeSet<>();
    DOCUMENTS.forEach(d -> files.add(d.file().getFileName().toString()));
    assertEquals(files, listed, "kustomization.yaml resources");
    Set<String> images = new TreeSet<>();
    k.path("images").forEach(i -> images.add(i.path("name").asText()));
    for (Deployment d : all(Deployment.class)) {
      d.getSpec().getTemplate().getSpec().getContainers().forEach(c -> assertTrue(images.contains(c.getImage()),
          c.getImage() + " has no entry in kustomization.yaml images"));
    }
  }

  @Test
  void everyPartIsDeployedWithProbesResourcesDisruptionBudgetServiceAndScrape() {
    List<Deployment> deployments = all(Deployment.class);
    assertEquals(PARTS.size(), deployments.size());
    ServiceMonitor monitor = named(ServiceMonitor.class, "sluice");
    for (Deployment d : deployments) {
      String name = d.getMetadata().getName();
      PodSpec pod = d.getSpec().getTemplate().getSpec();
      Map<String, String> podLabels = d.getSpec().getTemplate().getMetadata().getLabels();
      assertTrue(podLabels.entrySet().containsAll(d.getSpec().getSelector().getMatchLabels().entrySet()), name);
      assertEquals(1, pod.getContainers().size(), name);
      Container c = pod.getContainers().get(0);

      // The same image, started as one part: `args` is Main's command, the image is that part's.
      assertEquals(1, c.getArgs().size(), name);
      String part = c.getArgs().get(0);
      assertTrue(PARTS.containsKey(part), name + " runs " + part);
      assertEquals("sluice/sluice-" + part, c.getImage(), name);
      assertEquals(1, c.getPorts().size(), name);
      int port = c.getPorts().get(0).getContainerPort();
      assertEquals(PARTS.get(part), port, name);
      String portName = c.getPorts().get(0).getName();
      assertTrue(c.getEnv().stream().anyMatch(e -> e.getName().equals("SLUICE_" + part.toUpperCase() + "_PORT")
          && e.getValue().equals(Integer.toString(port))), name + " tells the part its port");

      probe(name + " liveness", c.getLivenessProbe(), "/health/live", portName);
      probe(name + " readiness", c.getReadinessProbe(), "/health/ready", portName);

      for (String resource : List.of("cpu", "memory")) {
        assertNotNull(c.getResources().getRequests().get(resource), name + " requests " + resource);
        assertNotNull(c.getResources().getLimits().get(resource), name + " limits " + resource);
      }
      // A memory limit above the request lets the node kill the pod under pressure at any time.
      assertEquals(c.getResources().getRequests().get("memory"), c.getResources().getLimits().get("memory"), name);
      assertTrue(pod.getSecurityContext().getRunAsNonRoot(), name);

      for (EnvFromSource from : c.getEnvFrom()) {
        if (from.getConfigMapRef() != null) {
          named(ConfigMap.class, from.getConfigMapRef().getName());
        }
        if (from.getSecretRef() != null) {
          named(Secret.class, from.getSecretRef().getName());
        }
      }
      named(ServiceAccount.class, pod.getServiceAccountName());

      List<PodDisruptionBudget> budgets = all(PodDisruptionBudget.class).stream()
          .filter(b -> podLabels.entrySet().containsAll(b.getSpec().getSelector().getMatchLabels().entrySet()))
          .toList();
      assertEquals(1, budgets.size(), name + " has one PodDisruptionBudget");
      PodDisruptionBudget budget = budgets.get(0);
      if (budget.getSpec().getMinAvailable() != null) {
        assertTrue(budget.getSpec().getMinAvailable().getIntVal() < d.getSpec().getReplicas(),
            name + ": minAvailable must stay below replicas, or no node could ever be drained");
      }

      List<Service> services = all(Service.class).stream()
          .filter(s -> podLabels.entrySet().containsAll(s.getSpec().getSelector().entrySet())).toList();
      assertEquals(1, services.size(), name + " has one Service");
      Service service = services.get(0);
      assertTrue(service.getSpec().getPorts().stream().anyMatch(p -> p.getTargetPort().getStrVal() != null
          && p.getTargetPort().getStrVal().equals(portName) && p.getName().equals("http")), name);
      String serviceName = service.getMetadata().getLabels().get("app.kubernetes.io/name");
      assertTrue(monitor.getSpec().getSelector().getMatchExpressions().stream()
          .anyMatch(e -> e.getOperator().equals("In") && e.getValues().contains(serviceName)),
          "the ServiceMonitor scrapes " + name);
    }
    assertTrue(monitor.getSpec().getEndpoints().stream()
        .anyMatch(e -> "http".equals(e.getPort()) && "/metrics".equals(e.getPath())));
  }

  @Test
  void theConsoleRunsSeveralReplicasWithoutStickySessions() {
    // Its sign-in sessions live in DynamoDB (sluice.console.session.table), so any replica serves any request and a
    // rolling update signs nobody out: no session affinity, and a disruption budget that leaves one replica serving.
    Deployment console = named(Deployment.class, "sluice-console");
    assertEquals(2, console.getSpec().getReplicas());
    assertEquals(0, console.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal());
    Service service = named(Service.class, "sluice-console");
    assertTrue(service.getSpec().getSessionAffinity() == null || service.getSpec().getSessionAffinity().equals("None"),
        "no sticky sessions: " + service.getSpec().getSessionAffinity());
    PodDisruptionBudget budget = named(PodDisruptionBudget.class, "sluice-console");
    assertEquals(1, budget.getSpec().getMaxUnavailable().getIntVal());
  }

  private static void probe(String what, Probe probe, String path, String portName) {
    assertNotNull(probe, what);
    assertNotNull(probe.getHttpGet(), what + " is an HTTP probe");
    assertEquals(path, probe.getHttpGet().getPath(), what);
    assertEquals(portName, probe.getHttpGet().getPort().getStrVal(), what);
  }

  @Test
  void configMapAndSecretHoldOnlySluiceSettingsThatLoadAndValidate() {
    Map<String, String> env = new HashMap<>(IMAGE_ENV);
    ConfigMap config = named(ConfigMap.class, "sluice-config");
    Secret secret = named(Secret.class, "sluice-secrets");
    env.putAll(config.getData());
    env.putAll(secret.getStringData());
    for (String key : env.keySet()) {
      assertTrue(key.startsWith(ConfigLoader.ENV_PREFIX), key);
    }
    RawConfig raw = ConfigLoader.load(null, env);
    assertEquals(Set.of(), SluiceConfig.unknownKeys(raw), "keys no Sluice setting reads");
    // Each part's own port variable too, as its Deployment sets it.
    for (Deployment d : all(Deployment.class)) {
      Map<String, String> withPort = new HashMap<>(env);
      for (EnvVar v : d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()) {
        withPort.put(v.getName(), v.getValue());
      }
      assertEquals(Set.of(), SluiceConfig.unknownKeys(ConfigLoader.load(null, withPort)), d.getMetadata().getName());
    }

    SluiceConfig loaded = SluiceConfig.from(raw);
    assertEquals(3, loaded.topicReplicationFactor());
    assertEquals(2, loaded.provision().minInsyncReplicas());
    assertTrue(loaded.aws().dynamoEndpoint().isEmpty() && loaded.aws().sqsEndpoint().isEmpty(), "real AWS");
    assertTrue(loaded.aws().staticKeys().isEmpty(), "no keys: the default credential chain (IRSA)");
    assertFalse(loaded.ingress().devKeysEnabled(), "no dev keys in production");
    kafkaKeysAreClientSettings(loaded.kafka().properties().keySet());
  }

  /** Kafka settings pass verbatim to the clients, so each must be one of theirs. */
  static void kafkaKeysAreClientSettings(Collection<String> keys) {
    Set<String> known = new TreeSet<>(ProducerConfig.configNames());
    known.addAll(ConsumerConfig.configNames());
    known.addAll(AdminClientConfig.configNames());
    for (String key : keys) {
      assertTrue(known.contains(key), "sluice.kafka." + key + " is not a Kafka client setting");
    }
  }

  @Test
  void prometheusRuleHoldsTheRuleFileGroups() throws IOException {
    PrometheusRule rule = named(PrometheusRule.class, "sluice");
    assertFalse(rule.getSpec().getGroups().isEmpty());
    JsonNode fromFile = YAML.readTree(Path.of("prometheus/sluice-rules.yml").toFile()).path("groups");
    JsonNode inManifest = DOCUMENTS.stream().filter(d -> d.kind().equals("PrometheusRule")).findFirst().orElseThrow()
        .raw().path("spec").path("groups");
    assertEquals(fromFile, inManifest, "prometheusrule.yaml is stale: run deploy/k8s/generate-prometheusrule.sh");
    // And nothing else in the spec: the rule file has only `groups`.
    assertEquals(List.of("groups"), fieldNames((ObjectNode) DOCUMENTS.stream()
        .filter(d -> d.kind().equals("PrometheusRule")).findFirst().orElseThrow().raw().path("spec")));
  }

  private static List<String> fieldNames(ObjectNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  @Test
  void initJobRunsInitWithTheSameConfig() {
    Job job = named(Job.class, "sluice-init");
    Container c = job.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertEquals(List.of("init"), c.getArgs());
    assertTrue(c.getImage().startsWith("sluice/sluice-"), c.getImage());
    assertEquals(Set.of("sluice-config", "sluice-secrets"), new TreeSet<>(c.getEnvFrom().stream()
        .map(f -> f.getConfigMapRef() != null ? f.getConfigMapRef().getName() : f.getSecretRef().getName())
        .toList()));
  }
}
