use assay_model::{ContainerKind, DocClass, Model, SourceFile};
use assay_span::FileId;
use assay_yaml::Limits;

fn model(files: &[(&str, &str)]) -> Model {
    Model::build(
        files
            .iter()
            .enumerate()
            .map(|(i, (name, text))| {
                SourceFile::parse(
                    FileId(i as u32),
                    (*name).to_owned(),
                    text.as_bytes(),
                    &Limits::default(),
                )
            })
            .collect(),
    )
}

#[test]
fn documents_are_classified() {
    let m = model(&[
        (
            "all.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\napiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: Service, metadata: {name: s, namespace: ns}}\n- {apiVersion: v1, kind: Pod, metadata: {name: p}}\n---\n# comment only\n---\nopenapi: 3.0.0\n---\nswagger: '2.0'\n---\nname: node1\ndata-dir: /var/lib/etcd\nlisten-client-urls: https://127.0.0.1:2379\n---\nfoo: bar\n",
        ),
        ("docker-compose.yml", "volumes:\n  data: {}\n"),
        ("kustomization.yaml", "resources: [a.yaml]\n"),
        ("app.yaml", "services:\n  web: {image: nginx}\n"),
    ]);
    let classes: Vec<DocClass> = m.documents.iter().map(|d| d.class).collect();
    assert_eq!(
        classes,
        [
            DocClass::Kubernetes,
            DocClass::KubernetesList,
            DocClass::Empty,
            DocClass::OpenApi,
            DocClass::OpenApi,
            DocClass::EtcdConfig,
            DocClass::Other,
            DocClass::Compose,
            DocClass::Kustomization,
            DocClass::Compose,
        ]
    );
    let names: Vec<String> = m.object_views().map(|o| o.display()).collect();
    assert_eq!(names, ["ConfigMap a", "Service ns/s", "Pod p"]);
}

#[test]
fn containers_and_effective_settings() {
    let m = model(&[(
        "d.yaml",
        "apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: job, namespace: ops}\nspec:\n  jobTemplate:\n    spec:\n      template:\n        metadata: {labels: {app: job}}\n        spec:\n          securityContext: {runAsNonRoot: true, runAsUser: 1000}\n          initContainers: [{name: init, image: busybox}]\n          containers:\n          - name: main\n            image: app:1\n            securityContext: {runAsUser: 0}\n",
    )]);
    let job = m.object_views().next().unwrap();
    let containers = job.containers();
    assert_eq!(containers.len(), 2);
    assert_eq!(containers[0].kind, ContainerKind::Init);
    let main = &containers[1];
    assert_eq!(main.describe(), "container \"main\"");
    assert_eq!(
        main.effective_setting("runAsUser").and_then(|v| v.as_str()),
        Some("0")
    );
    assert_eq!(
        main.effective_setting("runAsNonRoot")
            .and_then(|v| v.as_str()),
        Some("true")
    );
    assert_eq!(m.index.pods_matching("ops", &[("app", "job")]), vec![0]);
    assert!(
        m.index
            .pods_matching("default", &[("app", "job")])
            .is_empty()
    );
    assert_eq!(m.index.find("CronJob", "ops", "job"), Some(0));
}

#[test]
fn host_path_mounts_resolve_volumes() {
    let m = model(&[(
        "p.yaml",
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  volumes:\n  - {name: sock, hostPath: {path: /var/run/docker.sock}}\n  - {name: data, emptyDir: {}}\n  containers:\n  - name: c\n    image: x:1\n    volumeMounts: [{name: sock, mountPath: /s}, {name: data, mountPath: /d}]\n",
    )]);
    let pod = m.object_views().next().unwrap();
    let mounts = pod.containers()[0].host_path_mounts();
    assert_eq!(mounts.len(), 1);
    assert_eq!(mounts[0].host_path.as_str(), Some("/var/run/docker.sock"));
}

#[test]
fn objects_of_each_document() {
    let m = model(&[
        (
            "a.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\napiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: Service, metadata: {name: s}}\n- {apiVersion: v1, kind: Pod, metadata: {name: p}}\n---\nfoo: bar\n",
        ),
        (
            "b.yaml",
            "apiVersion: v1\nkind: Secret\nmetadata: {name: b}\n",
        ),
    ]);
    let names: Vec<Vec<&str>> = m
        .documents
        .iter()
        .map(|d| {
            m.objects_of_document(d)
                .map(|o| o.object.name.as_deref().unwrap_or_default())
                .collect()
        })
        .collect();
    assert_eq!(names, [vec!["a"], vec!["s", "p"], vec![], vec!["b"]]);
}
