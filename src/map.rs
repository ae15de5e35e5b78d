//! The cluster map: nodes as boxes holding their pods, pods coloured by kubectl STATUS (the
//! status text always beside the colour), a stripe per owning workload, unscheduled pods in
//! their own lane, and Services with their endpoint counts.

use kubeplay_sim::{Kind, Object, World};
use yew::prelude::*;

/// A pod as the map draws it.
#[derive(Clone, PartialEq, Debug)]
pub struct PodView {
    pub name: String,
    pub namespace: String,
    pub status: String,
    pub ready: String,
    pub owner: String,
    pub class: &'static str,
}

/// The CSS class for a kubectl STATUS and readiness.
pub fn status_class(status: &str, ready: &str) -> &'static str {
    let all_ready = ready.split_once('/').is_some_and(|(a, b)| a == b && a != "0");
    match status {
        "Running" if all_ready => "pod-ok",
        "Running" => "pod-unready",
        "Completed" | "Succeeded" => "pod-done",
        "Terminating" => "pod-terminating",
        "Pending" | "ContainerCreating" | "PodInitializing" => "pod-pending",
        s if s.starts_with("Init:") && !s.contains("Error") && !s.contains("BackOff") => "pod-pending",
        _ => "pod-bad",
    }
}

fn owner_name(o: &Object) -> String {
    let m = o.meta();
    m.owner_references
        .iter()
        .flatten()
        .find(|r| r.controller == Some(true))
        .map(|r| {
            // A ReplicaSet's pods belong to its Deployment: strip the hash.
            if r.kind == "ReplicaSet" {
                r.name.rsplit_once('-').map_or(r.name.clone(), |(d, _)| d.to_string())
            } else {
                r.name.clone()
            }
        })
        .unwrap_or_default()
}

fn pod_view(world: &World, o: &Object) -> Option<PodView> {
    let Object::Pod(p) = o else { return None };
    // The cluster's own pods (CoreDNS, Traefik, ServiceLB, ingress-nginx, ...) are not
    // drawn; the note under the map says so.
    if is_system(p.metadata.namespace.as_deref()) {
        return None;
    }
    let (ready, status, _) = kubeplay_kubectl::pod_status(p, world.now_ms());
    Some(PodView {
        name: p.metadata.name.clone().unwrap_or_default(),
        namespace: p.metadata.namespace.clone().unwrap_or_default(),
        class: status_class(&status, &ready),
        status,
        ready,
        owner: owner_name(o),
    })
}

/// The namespaces of the cluster's own components, which the map leaves out.
fn is_system(ns: Option<&str>) -> bool {
    matches!(ns, Some("kube-system" | "ingress-nginx"))
}

/// What clicking an object runs: its `describe`, then its YAML.
fn inspect(kind: &str, name: &str, ns: &str) -> String {
    format!("kubectl describe {kind} {name} -n {ns} && kubectl get {kind} {name} -n {ns} -o yaml")
}

/// The pods a Service's endpoints are (ready or not).
fn endpoint_pods(world: &World, o: &Object) -> Vec<String> {
    match o {
        Object::Service(s) => kubeplay_sim::endpoints::service_endpoints(world, s).into_iter().map(|e| e.pod).collect(),
        _ => Vec::new(),
    }
}

/// Hover and focus handlers that outline `pods` on the map while the chip is pointed at.
fn link_handlers(
    linked: &UseStateHandle<Vec<String>>,
    pods: Vec<String>,
) -> (Callback<MouseEvent>, Callback<MouseEvent>, Callback<FocusEvent>, Callback<FocusEvent>) {
    let (a, b, c, d) = (linked.clone(), linked.clone(), linked.clone(), linked.clone());
    let pods2 = pods.clone();
    (
        Callback::from(move |_: MouseEvent| a.set(pods.clone())),
        Callback::from(move |_: MouseEvent| b.set(Vec::new())),
        Callback::from(move |_: FocusEvent| c.set(pods2.clone())),
        Callback::from(move |_: FocusEvent| d.set(Vec::new())),
    )
}

/// Stripe colour for a workload name (stable, from a small palette).
fn owner_colour(owner: &str) -> &'static str {
    const PALETTE: &[&str] = &["#5b6cff", "#0f9d8a", "#c2410c", "#9333ea", "#0369a1", "#be123c", "#4d7c0f"];
    if owner.is_empty() {
        return "#94a3b8";
    }
    let h = owner.bytes().fold(0u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b)));
    PALETTE[(h as usize) % PALETTE.len()]
}

#[derive(Properties)]
pub struct MapProps {
    pub world: std::rc::Rc<std::cell::RefCell<World>>,
    /// Bumped whenever the world changed; the map re-renders on a new version.
    pub version: u64,
    /// A terminal line to run when an object is clicked (its `kubectl describe`).
    #[prop_or_default]
    pub on_select: Callback<String>,
    /// The pods that answered the last request, and that command's number.
    #[prop_or_default]
    pub hits: (u64, Vec<String>),
}

impl PartialEq for MapProps {
    fn eq(&self, other: &Self) -> bool {
        std::rc::Rc::ptr_eq(&self.world, &other.world) && self.version == other.version && self.hits == other.hits
    }
}

const POD_W: i32 = 150;
const POD_H: i32 = 38;
const GAP: i32 = 8;
const COLS: i32 = 2;
const NODE_W: i32 = COLS * POD_W + (COLS + 1) * GAP;

/// Click (or Enter) runs `line` in the terminal.
fn activate(on_select: &Callback<String>, line: String) -> (Callback<MouseEvent>, Callback<KeyboardEvent>) {
    let (a, b) = (on_select.clone(), on_select.clone());
    let l2 = line.clone();
    (
        Callback::from(move |_: MouseEvent| a.emit(line.clone())),
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" || e.key() == " " {
                e.prevent_default();
                b.emit(l2.clone());
            }
        }),
    )
}

/// What the map marks on pods: those that answered the last request, and those a hovered
/// Service or Ingress leads to.
struct Marks<'a> {
    hits: &'a (u64, Vec<String>),
    linked: &'a [String],
}

fn pod_tile(p: &PodView, x: i32, y: i32, on_select: &Callback<String>, marks: &Marks<'_>) -> Html {
    let hits = marks.hits;
    let hit = hits.1.contains(&p.name);
    let linked = marks.linked.contains(&p.name);
    // A new key per request makes the flash start again.
    let key = if hit { format!("{}#{}", p.name, hits.0) } else { p.name.clone() };
    // A pod that is not doing well also gets kubeplay's "why" first.
    let line = if matches!(p.class, "pod-ok" | "pod-done") {
        inspect("pod", &p.name, &p.namespace)
    } else {
        format!("why pod/{} -n {} && {}", p.name, p.namespace, inspect("pod", &p.name, &p.namespace))
    };
    let (onclick, onkeydown) = activate(on_select, line);
    let short: String = if p.name.chars().count() > 20 { format!("…{}", &p.name[p.name.len() - 19..]) } else { p.name.clone() };
    html! {
        <g class={classes!("pod", p.class, hit.then_some("hit"), linked.then_some("linked"))} key={key} transform={format!("translate({x},{y})")} data-pod={p.name.clone()} data-status={p.status.clone()}
            tabindex="0" role="button" aria-label={format!("pod {} {}: describe and YAML", p.name, p.status)} {onclick} {onkeydown}>
            <title>{ format!("{} — {} ({})", p.name, p.status, p.ready) }</title>
            <rect class="pod-box" width={POD_W.to_string()} height={POD_H.to_string()} rx="6" />
            <rect x="0" y="0" width="5" height={POD_H.to_string()} rx="2" fill={owner_colour(&p.owner)} />
            <text x="11" y="15" class="pod-name">{ short }</text>
            <text x="11" y="30" class="pod-status">{ format!("{} · {}", p.status, p.ready) }
                if hit { <tspan class="pod-hit">{ " · answered" }</tspan> }
            </text>
        </g>
    }
}

#[function_component(ClusterMap)]
pub fn cluster_map(props: &MapProps) -> Html {
    // The pods the hovered (or focused) Service or Ingress sends traffic to.
    let linked = use_state(Vec::<String>::new);
    let marks = Marks { hits: &props.hits, linked: &linked };
    let world = props.world.borrow();
    let store = world.store();
    let nodes: Vec<&Object> = store.list(Kind::Node, None).collect();
    let pending: Vec<PodView> = store
        .list(Kind::Pod, None)
        .filter(|o| matches!(o, Object::Pod(p) if p.spec.as_ref().and_then(|s| s.node_name.as_ref()).is_none()))
        .filter_map(|o| pod_view(&world, o))
        .collect();
    let mut boxes = Vec::new();
    let mut max_h = 0;
    for (i, n) in nodes.iter().enumerate() {
        let name = n.meta().name.clone().unwrap_or_default();
        let pods: Vec<PodView> = store.pods_on_node(&name).filter_map(|o| pod_view(&world, o)).collect();
        let rows = (pods.len() as i32 + COLS - 1) / COLS;
        let h = 54 + rows.max(1) * (POD_H + GAP) + GAP;
        max_h = max_h.max(h);
        let x = GAP + i as i32 * (NODE_W + 2 * GAP);
        let (cpu, mem, ready) = match n {
            Object::Node(node) => {
                let alloc = node.status.as_ref().and_then(|s| s.allocatable.clone()).unwrap_or_default();
                let ready = node
                    .status
                    .as_ref()
                    .and_then(|s| s.conditions.as_ref())
                    .is_some_and(|c| c.iter().any(|c| c.type_ == "Ready" && c.status == "True"));
                (
                    alloc.get("cpu").map(|q| q.0.clone()).unwrap_or_default(),
                    alloc
                        .get("memory")
                        .and_then(|q| kubeplay_sim::quantity::parse(&q.0))
                        .map(|b| format!("{} GiB", b / 1000 / (1 << 30)))
                        .unwrap_or_default(),
                    ready,
                )
            }
            _ => Default::default(),
        };
        let tiles = pods.iter().enumerate().map(|(j, p)| {
            let (c, r) = (j as i32 % COLS, j as i32 / COLS);
            pod_tile(p, GAP + c * (POD_W + GAP), 50 + r * (POD_H + GAP), &props.on_select, &marks)
        });
        // Fault injection from the map: stop (or start again) the node's kubelet.
        let stopped = world.node_stopped_at(&name).is_some();
        let fault_line = format!("fault {} {name}", if stopped { "start-node" } else { "stop-node" });
        let (on_fault, on_fault_key) = activate(&props.on_select, fault_line);
        let fault_label = if stopped { "▶ start node" } else { "■ stop node" };
        boxes.push(html! {
            <g class={classes!("node", (!ready).then_some("node-notready"))} transform={format!("translate({x},8)")} data-node={name.clone()}>
                <rect class="node-box" width={NODE_W.to_string()} height={h.to_string()} rx="10" />
                <text x="12" y="22" class="node-name">{ format!("node {name}") }</text>
                <g class="node-fault" transform={format!("translate({},8)", NODE_W - 96)} tabindex="0" role="button"
                    aria-label={format!("{fault_label}: {name} (fault injection)")} onclick={on_fault} onkeydown={on_fault_key}>
                    <title>{ if stopped { "Start this node's kubelet again" } else { "Stop this node's kubelet, as in a power cut (fault injection)" } }</title>
                    <rect width="88" height="20" rx="5" />
                    <text x="44" y="14" text-anchor="middle">{ fault_label }</text>
                </g>
                <text x="12" y="39" class="node-meta">{ format!("{cpu} CPU · {mem} · {}", if ready { "Ready" } else { "NotReady" }) }</text>
                { for tiles }
                if pods.is_empty() {
                    <text x="12" y="72" class="node-empty">{ "no pods yet" }</text>
                }
            </g>
        });
    }
    let lane_x = GAP + nodes.len() as i32 * (NODE_W + 2 * GAP);
    let lane = if pending.is_empty() {
        html! {}
    } else {
        let rows = pending.len() as i32;
        let h = 40 + rows * (POD_H + GAP);
        max_h = max_h.max(h);
        html! {
            <g class="pending-lane" transform={format!("translate({lane_x},8)")}>
                <rect class="lane-box" width={(POD_W + 2 * GAP).to_string()} height={h.to_string()} rx="10" />
                <text x="10" y="24" class="node-name">{ "not scheduled" }</text>
                { for pending.iter().enumerate().map(|(j, p)| pod_tile(p, GAP, 36 + j as i32 * (POD_H + GAP), &props.on_select, &marks)) }
            </g>
        }
    };
    let width = lane_x + if pending.is_empty() { 0 } else { POD_W + 3 * GAP };
    // The learner's Services (k3s's own, in kube-system, are not drawn).
    let services: Vec<Html> = store
        .list(Kind::Service, None)
        .filter(|o| !is_system(o.meta().namespace.as_deref()))
        .filter_map(|o| match o {
            Object::Service(s) => {
                let name = s.metadata.name.clone().unwrap_or_default();
                let ns = s.metadata.namespace.clone().unwrap_or_default();
                let ready = kubeplay_sim::endpoints::service_endpoints(&world, s).iter().filter(|e| e.ready).count();
                let selector = s.spec.as_ref().and_then(|x| x.selector.as_ref()).map(|m| !m.is_empty()).unwrap_or(false);
                let ty = s.spec.as_ref().and_then(|x| x.type_.clone()).unwrap_or_else(|| "ClusterIP".into());
                let note = if selector {
                    format!("→ {ready} endpoint{}", if ready == 1 { "" } else { "s" })
                } else {
                    "no selector".into()
                };
                let warn = selector && ready == 0;
                let line = if warn || ty == "LoadBalancer" {
                    format!("why svc/{name} -n {ns} && {}", inspect("service", &name, &ns))
                } else {
                    inspect("service", &name, &ns)
                };
                let (onclick, onkeydown) = activate(&props.on_select, line);
                let pods = endpoint_pods(&world, o);
                let hit = pods.iter().any(|p| props.hits.1.contains(p));
                let (onmouseenter, onmouseleave, onfocus, onblur) = link_handlers(&linked, pods);
                Some(html! {
                    <li class={classes!("svc", warn.then_some("svc-empty"), hit.then_some("hit"))} data-svc={name.clone()} tabindex="0" role="button"
                        aria-label={format!("service {name}: describe and YAML")} {onclick} {onkeydown} {onmouseenter} {onmouseleave} {onfocus} {onblur}>
                        <span class="svc-name">{ format!("svc/{name}") }</span>
                        <span class="svc-meta">{ format!("{ty} · {ns} {note}") }</span>
                    </li>
                })
            }
            _ => None,
        })
        .collect();
    // Ingresses: their rules, and the pods behind their backends.
    let ingresses: Vec<Html> = store
        .list(Kind::Ingress, None)
        .filter(|o| !is_system(o.meta().namespace.as_deref()))
        .filter_map(|o| match o {
            Object::Ingress(ing) => {
                let name = ing.metadata.name.clone().unwrap_or_default();
                let ns = ing.metadata.namespace.clone().unwrap_or_default();
                let spec = ing.spec.clone().unwrap_or_default();
                let mut routes = Vec::new();
                let mut backends = Vec::new();
                for rule in spec.rules.iter().flatten() {
                    for p in rule.http.iter().flat_map(|h| h.paths.iter()) {
                        let svc = p.backend.service.as_ref().map(|s| s.name.clone()).unwrap_or_default();
                        routes.push(format!(
                            "{}{} → {svc}",
                            rule.host.clone().unwrap_or_else(|| "*".into()),
                            p.path.clone().unwrap_or_else(|| "/".into())
                        ));
                        backends.push(svc);
                    }
                }
                if let Some(b) = spec.default_backend.as_ref().and_then(|b| b.service.as_ref()) {
                    routes.push(format!("default → {}", b.name));
                    backends.push(b.name.clone());
                }
                let pods: Vec<String> = backends
                    .iter()
                    .filter_map(|b| world.store().get(Kind::Service, &ns, b).map(|svc| endpoint_pods(&world, svc)))
                    .flatten()
                    .collect();
                let hit = pods.iter().any(|p| props.hits.1.contains(p));
                let class = spec.ingress_class_name.clone().unwrap_or_else(|| "default class".into());
                let line = format!("why ingress/{name} -n {ns} && kubectl describe ingress {name} -n {ns}");
                let (onclick, onkeydown) = activate(&props.on_select, line);
                let (onmouseenter, onmouseleave, onfocus, onblur) = link_handlers(&linked, pods);
                Some(html! {
                    <li class={classes!("svc", "ing", hit.then_some("hit"))} data-ingress={name.clone()} tabindex="0" role="button"
                        aria-label={format!("ingress {name}: why and describe")} {onclick} {onkeydown} {onmouseenter} {onmouseleave} {onfocus} {onblur}>
                        <span class="svc-name">{ format!("ing/{name}") }</span>
                        <span class="svc-meta">{ format!("{class} · {}", routes.join(", ")) }</span>
                    </li>
                })
            }
            _ => None,
        })
        .collect();
    html! {
        <div class="map">
            <svg class="map-svg" role="img" aria-label="Cluster map: nodes and their pods"
                style={format!("width: {}px", width.max(320))}
                viewBox={format!("0 0 {} {}", width.max(320), max_h + 16)} preserveAspectRatio="xMinYMin meet">
                { for boxes }
                { lane }
            </svg>
            <ul class="svc-list" aria-label="Ingresses and Services: hover one to see its pods">{ for ingresses }{ for services }</ul>
            <p class="map-note">{ "The cluster's own pods (in kube-system: CoreDNS, Traefik, ServiceLB's svclb pods, metrics-server, local-path-provisioner, the completed helm-install Jobs; and ingress-nginx's, when the lesson runs it) are not drawn: kubectl get pods -A lists them. Hover a Service or Ingress to outline the pods it sends traffic to; click a pod, Service or Ingress for its describe (and why, when something is wrong)." }</p>
        </div>
    }
}
