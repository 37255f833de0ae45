use leptos::prelude::*;

use crate::components::Shell;
use crate::hooks::use_page_title;
use crate::i18n::{fill, use_i18n};
use crate::state::backend::BootError;

/// Shown instead of the app when its backend cannot be used: unreachable, or of another contract.
#[component]
pub fn UnreachablePage(
    /// Why the app could not start.
    error: BootError,
    /// Tries to start again.
    #[prop(into)]
    on_retry: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let incompatible = matches!(error, BootError::Incompatible { .. });
    use_page_title(move || {
        if incompatible { i18n.t().incompatible_title } else { i18n.t().unreachable_title }.to_string()
    });
    view! {
        <Shell>
            <div class="page-center">
                <div class="card" role="alert">
                    {move || {
                        let t = i18n.t();
                        let (title, text) = match &error {
                            BootError::Unreachable => (t.unreachable_title, t.unreachable_text.to_string()),
                            BootError::Incompatible { version } => {
                                (t.incompatible_title, fill(t.incompatible_text, &[("version", version)]))
                            }
                        };
                        view! {
                            <h1>{title}</h1>
                            <p class="lead">{text}</p>
                            <button type="button" class="button button--primary" on:click=move |_| on_retry.run(())>
                                {t.try_again}
                            </button>
                        }
                    }}
                </div>
            </div>
        </Shell>
    }
}
