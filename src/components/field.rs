use leptos::html::Input;
use leptos::prelude::*;
use stylers_macro::style;

/// A labelled text input with an optional hint and an error that is announced and tied to the input
/// (`aria-describedby`, `aria-invalid`). The value lives in the caller's signal, so nothing typed is
/// lost when the form fails.
#[component]
pub fn TextField(
    /// Unique id of the input.
    id: &'static str,
    /// The visible label.
    label: &'static str,
    /// The value, two-way.
    value: RwSignal<String>,
    /// A line under the label: an example or a rule.
    #[prop(optional)]
    hint: Option<&'static str>,
    /// The current error of this field, if any.
    #[prop(into)]
    error: Signal<Option<String>>,
    /// `type` of the input.
    #[prop(default = "text")]
    input_type: &'static str,
    /// `autocomplete` of the input.
    #[prop(optional)]
    autocomplete: &'static str,
    /// `inputmode` of the input (the phone keyboard to show).
    #[prop(optional)]
    inputmode: &'static str,
    /// `maxlength` of the input.
    #[prop(optional)]
    maxlength: Option<u32>,
    /// `min` and `max` for date inputs.
    #[prop(optional, into)]
    min: Option<String>,
    #[prop(optional, into)] max: Option<String>,
    /// Lets the form focus this input (the first wrong field after a failed submit).
    #[prop(optional)]
    node_ref: NodeRef<Input>,
) -> impl IntoView {
    let class = style! {
        .field {
            display: flex;
            flex-direction: column;
            gap: var(--space-1);
        }
        label {
            font-weight: 600;
        }
        .hint {
            color: var(--text-muted);
            font-size: 0.875rem;
        }
        input {
            font: inherit;
            font-size: 1.0625rem;
            padding: var(--space-3);
            min-height: 3rem;
            border: 1px solid var(--border-strong);
            border-radius: var(--radius-s);
            background: var(--surface);
            color: var(--text);
            width: 100%;
        }
        input[aria-invalid="true"] {
            border-color: var(--danger);
            border-width: 2px;
        }
        .message {
            color: var(--danger);
            font-size: 0.9375rem;
            font-weight: 600;
        }
    };
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let has_hint = hint.is_some();
    let described_by = {
        let (hint_id, error_id) = (hint_id.clone(), error_id.clone());
        move || {
            let mut ids = Vec::new();
            if has_hint {
                ids.push(hint_id.clone());
            }
            if error.with(Option::is_some) {
                ids.push(error_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    view! { class=class,
        <div class="field">
            <label for=id>{label}</label>
            {hint.map(|hint| view! { class=class, <span class="hint" id=hint_id.clone()>{hint}</span> })}
            <input
                id=id
                name=id
                type=input_type
                autocomplete=(!autocomplete.is_empty()).then_some(autocomplete)
                inputmode=(!inputmode.is_empty()).then_some(inputmode)
                maxlength=maxlength
                min=min
                max=max
                aria-invalid=move || error.with(Option::is_some).then_some("true")
                aria-describedby=described_by
                node_ref=node_ref
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
            />
            <span class="message" id=error_id aria-live="polite">
                {move || error.get()}
            </span>
        </div>
    }
}
