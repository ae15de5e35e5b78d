//! The events timeline: the cluster's events as a live list, newest first, filterable by
//! object (what `kubectl get events` shows, without k3s's own kube-system chatter).

use kubeplay_sim::{Kind, Object, World};
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties)]
pub struct EventsProps {
    pub world: std::rc::Rc<std::cell::RefCell<World>>,
    pub version: u64,
}

impl PartialEq for EventsProps {
    fn eq(&self, other: &Self) -> bool {
        std::rc::Rc::ptr_eq(&self.world, &other.world) && self.version == other.version
    }
}

/// How many events the list shows.
const SHOWN: usize = 14;

#[function_component(EventsTimeline)]
pub fn events_timeline(props: &EventsProps) -> Html {
    let filter = use_state(String::new);
    let on_filter = {
        let filter = filter.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            filter.set(input.value());
        })
    };
    let world = props.world.borrow();
    let now = world.now_ms();
    let needle = filter.to_lowercase();
    let mut events: Vec<(u64, String, bool, String, String, String)> = world
        .store()
        .list(Kind::Event, None)
        .filter_map(|o| match o {
            Object::Event(e) if e.metadata.namespace.as_deref() != Some("kube-system") => {
                let last = e.last_timestamp.as_ref().or(e.first_timestamp.as_ref());
                let t = last.map_or(0, kubeplay_sim::world::ms_of);
                let io = &e.involved_object;
                let object =
                    format!("{}/{}", io.kind.clone().unwrap_or_default().to_lowercase(), io.name.clone().unwrap_or_default());
                let count = e.count.unwrap_or(1);
                let message = if count > 1 {
                    format!("{} (x{count})", e.message.clone().unwrap_or_default())
                } else {
                    e.message.clone().unwrap_or_default()
                };
                Some((
                    t,
                    kubeplay_kubectl::age(last, now),
                    e.type_.as_deref() == Some("Warning"),
                    e.reason.clone().unwrap_or_default(),
                    object,
                    message,
                ))
            }
            _ => None,
        })
        .filter(|(_, _, _, reason, object, message)| {
            needle.is_empty()
                || object.to_lowercase().contains(&needle)
                || reason.to_lowercase().contains(&needle)
                || message.to_lowercase().contains(&needle)
        })
        .collect();
    let total = events.len();
    events.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.4.cmp(&b.4)));
    events.truncate(SHOWN);
    let rows = events.into_iter().map(|(_, age, warn, reason, object, message)| {
        html! {
            <li class={classes!("event", warn.then_some("event-warn"))}>
                <span class="ev-age">{ age }</span>
                <span class="ev-reason">{ reason }</span>
                <span class="ev-object">{ object }</span>
                <span class="ev-message">{ message }</span>
            </li>
        }
    });
    html! {
        <details class="events" id="events-details">
            <summary>{ format!("Events ({total}), newest first") }</summary>
            <input class="ev-filter" id="events-filter" type="search" placeholder="filter: pod/web, BackOff, …" aria-label="Filter events"
                value={(*filter).clone()} oninput={on_filter} />
            <ul class="ev-list" id="events" aria-live="polite">{ for rows }</ul>
        </details>
    }
}
