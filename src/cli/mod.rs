//! Command-line interface: one file per subcommand, dispatched from here.
use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod controller;
pub mod crds;
mod template;
mod version;

/// A Kubernetes Helm release controller, compatible with Flux's HelmRelease API.
#[derive(Debug, Parser)]
#[command(name = "helmsync", version = version::VERSION, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the controller against the cluster in KUBECONFIG or in-cluster config.
    Controller(Box<controller::ControllerArgs>),
    /// Render a chart locally, as `helm template` does.
    Template(Box<template::TemplateArgs>),
    /// Show what applying a HelmRelease would change in the cluster.
    Diff,
    /// Show a HelmRelease, its values and its release history.
    Get,
    /// Ask the controller to reconcile an object now.
    Reconcile,
    /// Suspend reconciliation of a HelmRelease.
    Suspend,
    /// Resume reconciliation of a suspended HelmRelease.
    Resume,
    /// Print the CustomResourceDefinitions helmsync serves.
    Crds(crds::CrdsArgs),
    /// Print the version and the git commit helmsync was built from.
    Version,
}

impl Command {
    fn name(&self) -> &'static str {
        match self {
            Command::Controller(_) => "controller",
            Command::Template(_) => "template",
            Command::Diff => "diff",
            Command::Get => "get",
            Command::Reconcile => "reconcile",
            Command::Suspend => "suspend",
            Command::Resume => "resume",
            Command::Crds(_) => "crds",
            Command::Version => "version",
        }
    }
}

/// Why a command failed; each kind maps to an exit code.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error("'helmsync {0}' is not implemented yet")]
    NotImplemented(&'static str),
    /// A flag value that cannot be used; nothing was started.
    #[error("{0}")]
    Usage(String),
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("internal error: {0}")]
    Internal(String),
    /// A command failed the way the tool it mirrors reports it (`helm template`'s errors).
    #[error("{0}")]
    Command(String),
}

impl CliError {
    pub fn exit_code(&self) -> ExitCode {
        match self {
            // 69 is EX_UNAVAILABLE: the service the user asked for does not exist yet.
            CliError::NotImplemented(_) => ExitCode::from(69),
            // 64 is EX_USAGE.
            CliError::Usage(_) => ExitCode::from(64),
            CliError::Io { .. } | CliError::Internal(_) | CliError::Command(_) => ExitCode::FAILURE,
        }
    }

    pub fn io(path: &std::path::Path, source: std::io::Error) -> CliError {
        CliError::Io {
            path: path.display().to_string(),
            source,
        }
    }
}

pub fn run(cli: Cli) -> Result<(), CliError> {
    match cli.command {
        Command::Version => {
            version::print();
            Ok(())
        }
        Command::Crds(args) => crds::run(&args),
        Command::Template(args) => template::run(&args),
        Command::Controller(args) => controller::run(*args),
        other => Err(CliError::NotImplemented(other.name())),
    }
}
