use leptos::prelude::*;
use stylers_macro::style;

use crate::components::LanguageSwitch;
use crate::i18n::use_i18n;
use crate::routes;

/// The page frame: skip link, the app bar and the `main` landmark.
#[component]
pub fn Shell(
    /// Extra controls for the app bar (the signed-in person's menu).
    #[prop(optional, into)]
    actions: Option<ViewFn>,
    /// Whether the brand links home (not on screens before sign-in).
    #[prop(optional)]
    brand_links_home: bool,
    /// Exactly the screen's height, the page itself never scrolling: for screens whose panes scroll
    /// on their own (a chat's timeline between its header and its composer). Other screens grow with
    /// their content and the page scrolls.
    #[prop(optional)]
    fills_screen: bool,
    children: Children,
) -> impl IntoView {
    let class = style! {
        .shell {
            min-height: 100dvh;
            display: flex;
            flex-direction: column;
        }
        .shell.fills-screen {
            height: 100dvh;
        }
        .skip {
            position: absolute;
            left: var(--space-2);
            top: -4rem;
            z-index: 10;
            padding: var(--space-2) var(--space-3);
            background: var(--surface);
            color: var(--accent-text);
            border-radius: var(--radius-s);
        }
        .skip:focus {
            top: var(--space-2);
        }
        main {
            flex: 1;
            display: flex;
            flex-direction: column;
            min-height: 0;
        }
        main:focus {
            outline: none;
        }
    };
    let i18n = use_i18n();
    view! { class=class,
        <div class="shell" class:fills-screen=fills_screen>
            <a class="skip" href="#main">{move || i18n.t().skip_to_content}</a>
            <AppBar actions=actions brand_links_home=brand_links_home />
            <main id="main" tabindex="-1">
                {children()}
            </main>
        </div>
    }
}

/// The bar at the top of every screen: the brand, the language switch and page actions.
#[component]
pub fn AppBar(
    /// Extra controls, placed before the language switch.
    #[prop(default = None)]
    actions: Option<ViewFn>,
    /// Whether the brand is a link to the home screen.
    #[prop(optional)]
    brand_links_home: bool,
) -> impl IntoView {
    let class = style! {
        header {
            display: flex;
            align-items: center;
            gap: var(--space-3);
            padding: var(--space-2) var(--space-4);
            min-height: 3.5rem;
            background: var(--surface);
            border-bottom: 1px solid var(--border);
        }
        .brand {
            display: inline-flex;
            align-items: center;
            gap: var(--space-2);
            font-weight: 700;
            font-size: 1.125rem;
            color: var(--text);
            text-decoration: none;
        }
        .logo {
            display: inline-grid;
            place-items: center;
            width: 2rem;
            height: 2rem;
            border-radius: var(--radius-s);
            background: var(--accent);
            color: var(--on-accent);
            font-weight: 700;
        }
        .actions {
            margin-left: auto;
            display: flex;
            align-items: center;
            gap: var(--space-2);
        }
    };
    let i18n = use_i18n();
    let brand = move || {
        let t = i18n.t();
        let inner = view! { class=class,
            <span class="logo" aria-hidden="true">{t.app_logo_letter}</span>
            <span>{t.app_name}</span>
        };
        if brand_links_home {
            view! { class=class, <a class="brand" href=routes::HOME>{inner}</a> }.into_any()
        } else {
            view! { class=class, <span class="brand">{inner}</span> }.into_any()
        }
    };
    view! { class=class,
        <header>
            {brand}
            <div class="actions">
                {actions.map(|actions| actions.run())}
                <LanguageSwitch />
            </div>
        </header>
    }
}
