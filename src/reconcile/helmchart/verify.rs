//! `spec.verify`: what a HelmChart with a signature check reports, as no verifier is
//! implemented yet.
use crate::api::meta::{OciRepositoryVerification, VerificationProvider};
use crate::reconcile::conditions::{BUILD_FAILED, Outcome};

/// A chart from an HTTP HelmRepository: Flux's chart repository has no verifier, so every
/// build of such a chart fails with this (retried, not stalled), and so does ours.
pub fn http_verification() -> Outcome {
    Outcome::failed(
        BUILD_FAILED,
        "ChartVerificationError",
        "chart verification error: not implemented",
    )
}

/// `spec.verify` on a chart from an OCI HelmRepository: Flux verifies the signature; this
/// controller cannot yet, and says so instead of serving an unverified chart.
pub fn unsupported_oci_verification(verify: &OciRepositoryVerification) -> Outcome {
    let mut provider = match verify.provider {
        VerificationProvider::Cosign => "cosign".to_owned(),
        VerificationProvider::Notation => "notation".to_owned(),
    };
    if verify.secret_ref.is_none() && verify.provider == VerificationProvider::Cosign {
        provider.push_str(" keyless");
    }
    Outcome::Stalled {
        reason: "VerificationError".to_owned(),
        message: format!(
            "failed to verify the signature using provider '{provider}': spec.verify is not \
             supported by helmsync yet; remove spec.verify to use the chart unverified"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::meta::LocalObjectReference;

    #[test]
    fn the_provider_is_named_and_keyless_cosign_says_so() {
        let keyless = OciRepositoryVerification::default();
        assert!(
            unsupported_oci_verification(&keyless)
                .message()
                .starts_with("failed to verify the signature using provider 'cosign keyless': "),
        );
        let notation = OciRepositoryVerification {
            provider: VerificationProvider::Notation,
            secret_ref: Some(LocalObjectReference {
                name: "keys".to_owned(),
            }),
            ..OciRepositoryVerification::default()
        };
        let outcome = unsupported_oci_verification(&notation);
        assert_eq!(outcome.reason(), "VerificationError");
        assert!(matches!(outcome, Outcome::Stalled { .. }));
        assert!(
            outcome
                .message()
                .contains("provider 'notation': spec.verify")
        );
    }
}
