"""A form's fields in crispy-forms' Bootstrap 5 markup, written in Python.

crispy's `bootstrap5/field.html` and its includes cost about half a millisecond a field; the
letter composer shows sixteen. `{% bootstrap_fields form %}` writes the same markup (the same
classes, ids, labels, help texts, errors and aria attributes) for text inputs, text areas and
selects, and hands any other field (file, checkbox, radio, multi-widget) to crispy itself.
"""

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms, template
from django.forms.widgets import Input
from django.template.defaultfilters import unordered_list
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe

register = template.Library()

_PLAIN = (Input, forms.Textarea, forms.Select)
_CRISPY_ONLY = (
    forms.FileInput,
    forms.CheckboxInput,
    forms.RadioSelect,
    forms.CheckboxSelectMultiple,
    forms.MultiWidget,
)


# Django's widget templates that only write an <input>, its <textarea> and the project's <select>:
# rendering them through the template engine cost more than the rest of a field; they are written
# here as django/forms/widgets/input.html, attrs.html, textarea.html and select.html write them.
_INPUT_TEMPLATES = {
    f"django/forms/widgets/{name}.html" for name in ("text", "url", "email", "number", "date")
}
_TEXTAREA_TEMPLATE = "django/forms/widgets/textarea.html"
# The project's own select template (templates/django/forms/widgets/select.html).
_SELECT_TEMPLATE = "django/forms/widgets/select.html"
_WRITTEN_HERE = {*_INPUT_TEMPLATES, _TEXTAREA_TEMPLATE, _SELECT_TEMPLATE}


def _attributes(attrs: dict) -> str:
    # Plain strings joined once: a format_html per attribute cost more than the field around it.
    return mark_safe(  # noqa: S308 - every name and value is escaped here
        "".join(
            f" {conditional_escape(name)}"
            if value is True
            else f' {conditional_escape(name)}="{conditional_escape(value)}"'
            for name, value in attrs.items()
            if value is not False
        )
    )


def _options(widget: forms.Select, value: list[str]) -> str:
    """The select's options and groups, chosen as `ChoiceWidget.optgroups` chooses them.

    Django builds a dictionary per option (`create_option`) for the template; a select of a
    person's forty contacts spent more there than in the rest of its form.
    """
    written, has_selected = [], False
    for option_value, option_label in widget.choices:
        if option_value is None:
            option_value = ""
        if isinstance(option_label, (list, tuple)):
            group, choices = option_value, option_label
        else:
            group, choices = None, [(option_value, option_label)]
        if group:
            written.append(f'\n  <optgroup label="{conditional_escape(group)}">')
        for choice_value, choice_label in choices:
            selected = (not has_selected or widget.allow_multiple_selected) and str(
                choice_value
            ) in value
            has_selected |= selected
            written.append(
                f'\n  <option value="{conditional_escape(choice_value)}"'
                f"{' selected' if selected else ''}>{conditional_escape(choice_label)}</option>"
            )
        if group:
            written.append("\n  </optgroup>")
    return mark_safe("".join(written))  # noqa: S308 - every value and label is escaped here


def _optgroup(name: str | None, options: list[dict], index: int) -> str:
    written = format_html_join(
        "",
        '\n  <option value="{}"{}>{}</option>',
        ((option["value"], _attributes(option["attrs"]), option["label"]) for option in options),
    )
    if name:
        return format_html('\n  <optgroup label="{}">{}\n  </optgroup>', name, written)
    return written


def _plain_options(widget) -> bool:
    """Whether the widget's options are Django's own: nothing added to them by a subclass."""
    kind = type(widget)
    return (
        kind.optgroups is forms.Select.optgroups
        and kind.create_option is forms.Select.create_option
        and not widget.option_inherits_attrs
        and widget.checked_attribute == {"selected": True}
    )


def _render_widget(field: forms.BoundField, attrs: dict) -> str:
    """`field.as_widget(attrs=attrs)`, without the template engine for inputs, text areas and
    selects."""
    widget = field.field.widget
    if widget.template_name not in _WRITTEN_HERE or getattr(
        widget, "option_template_name", None
    ) not in (
        None,
        "django/forms/widgets/select_option.html",
    ):
        return field.as_widget(attrs=attrs)
    # BoundField.as_widget's attributes and value.
    attrs = field.build_widget_attrs(attrs, widget)
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    if widget.template_name == _SELECT_TEMPLATE and _plain_options(widget):
        # Select.get_context without its optgroups, which _options writes.
        context = forms.Widget.get_context(widget, field.html_name, field.value(), attrs)["widget"]
        if widget.allow_multiple_selected:
            context["attrs"]["multiple"] = True
        return format_html(
            '<select name="{}"{}>{}\n</select>',
            context["name"],
            _attributes(context["attrs"]),
            _options(widget, context["value"]),
        )
    context = widget.get_context(field.html_name, field.value(), attrs)["widget"]
    value = context["value"]
    if widget.template_name == _SELECT_TEMPLATE:
        return format_html(
            '<select name="{}"{}>{}\n</select>',
            context["name"],
            _attributes(context["attrs"]),
            format_html_join("", "{}", ((_optgroup(*group),) for group in context["optgroups"])),
        )
    if widget.template_name == _TEXTAREA_TEMPLATE:
        return format_html(
            '<textarea name="{}"{}>\n{}</textarea>',
            context["name"],
            _attributes(context["attrs"]),
            value or "",
        )
    return format_html(
        '<input type="{}" name="{}"{}{}>',
        context["type"],
        context["name"],
        "" if value is None else format_html(' value="{}"', value),
        _attributes(context["attrs"]),
    )


def _widget(field: forms.BoundField) -> str:
    widget = field.field.widget
    # crispy's classes: the widget's own, its class name (textinput, textarea, select...),
    # then Bootstrap's.
    name = type(widget).__name__.lower()
    css = widget.attrs.get("class", "")
    css = f"{css} {name}" if css and name not in css else (css or name)
    css += " form-select" if isinstance(widget, forms.Select) else " form-control"
    if field.errors:
        css += " is-invalid"
    return _render_widget(field, {"class": css})


def _field(field: forms.BoundField) -> str:
    widget = field.field.widget
    if field.is_hidden:
        return str(field)
    if not isinstance(widget, _PLAIN) or isinstance(widget, _CRISPY_ONLY) or field.use_fieldset:
        return as_crispy_field(field)
    required = field.field.required
    label = ""
    if field.label:
        label = format_html(
            '<label for="{}" class="form-label{}">{}{}</label> ',
            field.id_for_label,
            " requiredField" if required else "",
            field.label,
            mark_safe('<span class="asteriskField">*</span>') if required else "",
        )
    errors = ""
    if field.errors:
        errors = format_html(
            ' <div id="{}_error" class="invalid-feedback">{}</div>',
            getattr(field.errors, "field_id", None) or field.auto_id,
            format_html_join(
                "",
                '<p id="error_{}_{}"><strong>{}</strong></p>',
                ((i, field.auto_id, error) for i, error in enumerate(field.errors, 1)),
            ),
        )
    help_text = ""
    if field.help_text:
        help_text = format_html(
            ' <div id="{}_helptext" class="form-text">{}</div>',
            field.auto_id,
            # As crispy (`|safe`): help texts are the project's own, some with markup.
            mark_safe(field.help_text),  # noqa: S308
        )
    css_classes = field.css_classes()
    return format_html(
        '<div id="div_{}" class="mb-3{}"> {}{}{}{} </div>',
        field.auto_id,
        f" {css_classes}" if css_classes else "",
        label,
        _widget(field),
        errors,
        help_text,
    )


@register.simple_tag
def bootstrap_fields(form: forms.BaseForm) -> str:
    """The form's errors and fields, as `{{ form|crispy }}` writes them."""
    errors = ""
    if form.non_field_errors():
        errors = format_html(
            '<div class="alert alert-block alert-danger"><ul class="m-0">{}</ul></div>',
            unordered_list(form.non_field_errors()),
        )
    return format_html(
        "{}{}", errors, format_html_join("\n", "{}", ((_field(field),) for field in form))
    )


@register.simple_tag
def bootstrap_field(field: forms.BoundField) -> str:
    """One field, as `{{ field|as_crispy_field }}` writes it."""
    return _field(field)
