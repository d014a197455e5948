//! Kubernetes manifests: the pod specs and containers of every workload in a file.
//!
//! A manifest file holds any number of documents; each workload kind keeps its pod spec at a
//! different place (`spec` of a Pod, `spec.template.spec` of a Deployment, StatefulSet,
//! DaemonSet, ReplicaSet, ReplicationController or Job, `spec.jobTemplate.spec.template.spec`
//! of a CronJob), and `kind: List` wraps objects in `items`. Other kinds (Services,
//! ConfigMaps…) hold no pod and are skipped. Nodes keep their positions, so a check can point
//! at the exact key it objects to.

use marked_yaml::types::{MarkedMappingNode, MarkedScalarNode};
use marked_yaml::Node;

use super::yaml::{documents, text, Document, YamlError};

/// A parsed manifest file: its documents, and the ones that did not parse.
#[derive(Debug)]
pub struct Manifest {
    pub documents: Vec<Document>,
    pub errors: Vec<YamlError>,
}

/// Where a container sits in its pod.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContainerKind {
    Init,
    Regular,
    Ephemeral,
}

impl ContainerKind {
    /// The pod spec field that lists this kind of container.
    pub fn field(self) -> &'static str {
        match self {
            ContainerKind::Init => "initContainers",
            ContainerKind::Regular => "containers",
            ContainerKind::Ephemeral => "ephemeralContainers",
        }
    }
}

/// One container of a pod spec.
#[derive(Debug)]
pub struct Container<'d> {
    pub name: String,
    pub kind: ContainerKind,
    /// Its place in the list of its kind (names unnamed containers: `containers[0]`).
    pub index: usize,
    /// The container's mapping (`name`, `image`, `securityContext`…).
    pub spec: &'d MarkedMappingNode,
}

/// A workload and its pod template.
#[derive(Debug)]
pub struct Workload<'d> {
    pub document: &'d Document,
    pub kind: String,
    pub name: String,
    pub namespace: Option<String>,
    /// The key whose value is the pod spec: where findings about the whole pod point.
    pub pod_spec_key: &'d MarkedScalarNode,
    pub pod_spec: &'d MarkedMappingNode,
    /// The pod's own metadata (a Pod's `metadata`, a template's `template.metadata`), where
    /// the per-pod annotations (AppArmor, seccomp) are.
    pub pod_metadata: Option<&'d MarkedMappingNode>,
    pub containers: Vec<Container<'d>>,
}

impl Manifest {
    pub fn parse(text: &str) -> Manifest {
        let mut manifest = Manifest {
            documents: Vec::new(),
            errors: Vec::new(),
        };
        for document in documents(text) {
            match document {
                Ok(document) => manifest.documents.push(document),
                Err(error) => manifest.errors.push(error),
            }
        }
        manifest
    }

    /// Every workload of every document, in file order.
    pub fn workloads(&self) -> Vec<Workload<'_>> {
        let mut found = Vec::new();
        for document in &self.documents {
            if let Some(object) = document.root.as_mapping() {
                collect(document, object, &mut found);
            }
        }
        found
    }
}

fn collect<'d>(
    document: &'d Document,
    object: &'d MarkedMappingNode,
    found: &mut Vec<Workload<'d>>,
) {
    let kind = object.get_node("kind").and_then(text).unwrap_or_default();
    if kind == "List" {
        let items = object.get_sequence("items");
        for item in items
            .into_iter()
            .flat_map(|s| s.iter())
            .filter_map(Node::as_mapping)
        {
            collect(document, item, found);
        }
        return;
    }
    // The mapping that holds the pod's `metadata` and `spec`.
    let pod_path: &[&str] = match kind {
        "Pod" => &[],
        "Deployment"
        | "StatefulSet"
        | "DaemonSet"
        | "ReplicaSet"
        | "ReplicationController"
        | "Job" => &["spec", "template"],
        "CronJob" => &["spec", "jobTemplate", "spec", "template"],
        _ => return,
    };
    let Some((_, pod)) = descend(object, pod_path) else {
        return;
    };
    let Some((Some(pod_spec_key), pod_spec)) = descend(pod, &["spec"]) else {
        return;
    };
    let pod_metadata = pod.get_mapping("metadata");
    let metadata = object.get_mapping("metadata");
    let field = |name: &str| {
        metadata
            .and_then(|m| m.get_node(name))
            .and_then(text)
            .map(str::to_owned)
    };
    let containers = [
        ContainerKind::Init,
        ContainerKind::Regular,
        ContainerKind::Ephemeral,
    ]
    .into_iter()
    .flat_map(|kind| {
        pod_spec
            .get_sequence(kind.field())
            .into_iter()
            .flat_map(|s| s.iter())
            .enumerate()
            .filter_map(|(index, node)| Some((index, node.as_mapping()?)))
            .map(move |(index, spec)| Container {
                name: spec
                    .get_node("name")
                    .and_then(text)
                    .unwrap_or_default()
                    .to_owned(),
                kind,
                index,
                spec,
            })
    })
    .collect();
    found.push(Workload {
        document,
        kind: kind.to_owned(),
        name: field("name").unwrap_or_default(),
        namespace: field("namespace"),
        pod_spec_key,
        pod_spec,
        pod_metadata,
        containers,
    });
}

/// Follows `path` through nested mappings: the last key (`None` for an empty path) and its
/// mapping value.
fn descend<'d>(
    mut mapping: &'d MarkedMappingNode,
    path: &[&str],
) -> Option<(Option<&'d MarkedScalarNode>, &'d MarkedMappingNode)> {
    let mut last = None;
    for key in path {
        let (k, v) = mapping.get_key_value(*key)?;
        mapping = v.as_mapping()?;
        last = Some(k);
    }
    Some((last, mapping))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::yaml::{entry, text as text_of};
    use crate::source::LineIndex;

    const MANIFESTS: &str = "\
apiVersion: v1
kind: Pod
metadata:
  name: debug
spec:
  containers:
  - name: shell
    image: busybox
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: prod
spec:
  template:
    spec:
      initContainers:
      - name: migrate
        image: app:1
      containers:
      - name: app
        image: app:1
        securityContext:
          privileged: true
---
apiVersion: v1
kind: Service
metadata:
  name: api
---
apiVersion: batch/v1
kind: CronJob
metadata:
  name: nightly
spec:
  jobTemplate:
    spec:
      template:
        spec:
          containers:
          - name: job
            image: job:2
---
apiVersion: v1
kind: List
items:
- apiVersion: apps/v1
  kind: DaemonSet
  metadata:
    name: agent
  spec:
    template:
      spec:
        containers:
        - name: agent
          image: agent:3
";

    #[test]
    fn finds_the_pod_spec_of_every_workload_kind() {
        let manifest = Manifest::parse(MANIFESTS);
        assert!(manifest.errors.is_empty(), "{:?}", manifest.errors);
        let workloads = manifest.workloads();
        let summary: Vec<(String, String, Vec<String>)> = workloads
            .iter()
            .map(|w| {
                (
                    w.kind.clone(),
                    w.name.clone(),
                    w.containers.iter().map(|c| c.name.clone()).collect(),
                )
            })
            .collect();
        let expected: Vec<(String, String, Vec<String>)> = [
            ("Pod", "debug", vec!["shell"]),
            ("Deployment", "api", vec!["migrate", "app"]),
            ("CronJob", "nightly", vec!["job"]),
            ("DaemonSet", "agent", vec!["agent"]),
        ]
        .into_iter()
        .map(|(k, n, c)| {
            (
                k.into(),
                n.into(),
                c.into_iter().map(String::from).collect(),
            )
        })
        .collect();
        assert_eq!(summary, expected, "the Service has no pod");
        assert_eq!(workloads[1].namespace.as_deref(), Some("prod"));
        assert!(
            workloads[1].pod_metadata.is_none(),
            "the template has no metadata"
        );
        let pod_metadata = workloads[0].pod_metadata.unwrap();
        assert_eq!(pod_metadata.get_node("name").and_then(text), Some("debug"));
        assert_eq!(workloads[1].containers[1].index, 0);
        assert_eq!(workloads[1].containers[0].kind, ContainerKind::Init);
    }

    #[test]
    fn keys_are_located_in_the_whole_file() {
        let manifest = Manifest::parse(MANIFESTS);
        let index = LineIndex::new(MANIFESTS);
        let deployment = &manifest.workloads()[1];
        let app = &deployment.containers[1];
        let (_, context) = entry(app.spec, "securityContext").unwrap();
        let (key, value) = entry(context.as_mapping().unwrap(), "privileged").unwrap();
        let region = deployment.document.key_region(&index, key).unwrap();
        assert_eq!((region.start.line, region.start.column), (25, 11));
        assert_eq!(&MANIFESTS[region.bytes.0..region.bytes.1], "privileged");
        assert_eq!(text(value), Some("true"));
        let pod = deployment
            .document
            .key_region(&index, deployment.pod_spec_key)
            .unwrap();
        assert_eq!((pod.start.line, pod.start.column), (17, 5));
    }

    #[test]
    fn containers_sharing_settings_through_anchors_point_at_the_definition() {
        let text = "\
kind: Pod
metadata: {name: pair}
spec:
  containers:
  - name: a
    securityContext: &locked
      privileged: false
      runAsNonRoot: true
  - <<: {image: b:1}
    name: b
    securityContext:
      <<: *locked
      privileged: true
";
        let manifest = Manifest::parse(text);
        assert!(manifest.errors.is_empty(), "{:?}", manifest.errors);
        let index = LineIndex::new(text);
        let workloads = manifest.workloads();
        let pod = &workloads[0];
        let b = &pod.containers[1];
        assert_eq!(b.name, "b");
        assert_eq!(b.spec.get_node("image").and_then(text_of), Some("b:1"));
        let context = b.spec.get_mapping("securityContext").unwrap();
        let (key, value) = entry(context, "privileged").unwrap();
        assert_eq!(text_of(value), Some("true"), "the container's own key wins");
        let region = pod.document.key_region(&index, key).unwrap();
        assert_eq!((region.start.line, region.start.column), (13, 7));
        let (key, _) = entry(context, "runAsNonRoot").unwrap();
        let region = pod.document.key_region(&index, key).unwrap();
        assert_eq!((region.start.line, region.start.column), (8, 7));
    }

    #[test]
    fn a_broken_document_is_reported_and_the_rest_is_read() {
        let text = "kind: Pod\nspec:\n  containers: [\n---\nkind: Pod\nmetadata: {name: ok}\nspec:\n  containers:\n  - name: c\n";
        let manifest = Manifest::parse(text);
        assert_eq!(manifest.errors.len(), 1);
        let workloads = manifest.workloads();
        assert_eq!(workloads.len(), 1);
        assert_eq!(workloads[0].name, "ok");
    }
}
