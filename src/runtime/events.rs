//! Kubernetes Events as Flux's source-controller writes them: core/v1 Events from the
//! reporting controller `source-controller`, with the revision annotation that
//! notification-controller forwards. kube's `Recorder` cannot carry annotations, so the
//! Event object is built here.
use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{Event, EventSource, ObjectReference};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, Time};
use kube::api::PostParams;
use kube::{Api, Client, Resource, ResourceExt};

/// Flux's reporting controller name; `flux events` and alerting match on it.
pub const REPORTING_CONTROLLER: &str = "source-controller";
/// The annotation carrying the artifact revision an event is about.
pub const REVISION_ANNOTATION: &str = "source.toolkit.fluxcd.io/revision";
/// Events longer than this are cut, as the API server refuses notes above 1 KiB in events.k8s.io.
const MAX_MESSAGE: usize = 1024;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventType {
    Normal,
    Warning,
}

/// Publishes Events; failures are logged, never fatal to a reconcile.
#[derive(Clone)]
pub struct EventRecorder {
    client: Client,
    instance: String,
}

impl EventRecorder {
    pub fn new(client: Client, instance: impl Into<String>) -> EventRecorder {
        EventRecorder {
            client,
            instance: instance.into(),
        }
    }

    pub async fn publish<K>(
        &self,
        object: &K,
        type_: EventType,
        reason: &str,
        message: &str,
        revision: Option<&str>,
    ) where
        K: Resource<DynamicType = ()>,
    {
        let event = build_event(object, type_, reason, message, revision, &self.instance);
        let namespace = object.namespace().unwrap_or_else(|| "default".to_owned());
        let api: Api<Event> = Api::namespaced(self.client.clone(), &namespace);
        if let Err(e) = api.create(&PostParams::default(), &event).await {
            tracing::warn!(
                kind = %K::kind(&()), name = %object.name_any(), namespace = %namespace,
                reason, error = %e, "cannot record event"
            );
        }
    }
}

fn build_event<K: Resource<DynamicType = ()>>(
    object: &K,
    type_: EventType,
    reason: &str,
    message: &str,
    revision: Option<&str>,
    instance: &str,
) -> Event {
    let now = k8s_openapi::jiff::Timestamp::now();
    let reference = ObjectReference {
        api_version: Some(K::api_version(&()).into_owned()),
        kind: Some(K::kind(&()).into_owned()),
        name: object.meta().name.clone(),
        namespace: object.meta().namespace.clone(),
        uid: object.meta().uid.clone(),
        resource_version: object.meta().resource_version.clone(),
        field_path: None,
    };
    let annotations =
        revision.map(|r| BTreeMap::from([(REVISION_ANNOTATION.to_owned(), r.to_owned())]));
    let mut note = message.to_owned();
    if note.len() > MAX_MESSAGE {
        let mut cut = MAX_MESSAGE;
        while !note.is_char_boundary(cut) {
            cut -= 1;
        }
        note.truncate(cut);
    }
    Event {
        metadata: ObjectMeta {
            // client-go's naming: the object name and a unique hex suffix.
            name: Some(format!("{}.{:x}", object.name_any(), now.as_nanosecond())),
            namespace: object.meta().namespace.clone(),
            annotations,
            ..Default::default()
        },
        involved_object: reference,
        reason: Some(reason.to_owned()),
        message: Some(note),
        type_: Some(
            match type_ {
                EventType::Normal => "Normal",
                EventType::Warning => "Warning",
            }
            .to_owned(),
        ),
        source: Some(EventSource {
            component: Some(REPORTING_CONTROLLER.to_owned()),
            host: None,
        }),
        reporting_component: Some(REPORTING_CONTROLLER.to_owned()),
        reporting_instance: Some(instance.to_owned()),
        first_timestamp: Some(Time(now)),
        last_timestamp: Some(Time(now)),
        count: Some(1),
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::helmrepository::HelmRepository;

    #[test]
    fn events_carry_fluxs_controller_name_and_the_revision() {
        let mut repo = HelmRepository::new("podinfo", Default::default());
        repo.metadata.namespace = Some("apps".into());
        let event = build_event(
            &repo,
            EventType::Normal,
            "NewArtifact",
            "stored fetched index",
            Some("sha256:abc"),
            "pod-1",
        );
        assert_eq!(
            event.reporting_component.as_deref(),
            Some("source-controller")
        );
        assert_eq!(
            event.involved_object.kind.as_deref(),
            Some("HelmRepository")
        );
        assert_eq!(
            event.metadata.annotations.unwrap()[REVISION_ANNOTATION],
            "sha256:abc"
        );
        assert!(event.metadata.name.unwrap().starts_with("podinfo."));
    }

    #[test]
    fn long_messages_are_cut_on_a_character_boundary() {
        let repo = HelmRepository::new("x", Default::default());
        let message = "é".repeat(2000);
        let event = build_event(&repo, EventType::Warning, "Failed", &message, None, "i");
        assert!(event.message.unwrap().len() <= MAX_MESSAGE);
    }
}
