"""Static CSS and JavaScript for the chat and sources panels (no Python logic).

The CSS is given to each `gr.HTML` as its `css_template`, which Gradio scopes to that component (so it
must contain no backticks, backslashes or template placeholders). The JavaScript runs once per
conversation panel (`js_on_load`): a click on a citation chip opens the source card, scrolls it into
view and flashes it. Without it the chips still work as ordinary `#src-…` anchors. Nothing here
handles untrusted text: that is escaped in `ui.render` before it reaches the page.
"""

from __future__ import annotations

_BASE = """
font-size: 15px;
line-height: 1.55;
code { font-size: 0.82em; padding: 0 4px; border-radius: 4px; background: var(--background-fill-secondary);
       color: var(--body-text-color-subdued); }
.empty { color: var(--body-text-color-subdued); padding: 18px 6px; font-style: italic; }
ul { margin: 4px 0 0 0; padding-left: 20px; }
"""

CHAT_CSS = (
    _BASE
    + """
.convo { height: 58vh; min-height: 340px; overflow-y: auto; display: flex; flex-direction: column-reverse;
         border: 1px solid var(--border-color-primary); border-radius: 12px; padding: 10px 12px;
         background: var(--background-fill-primary); }
.msg { display: flex; margin: 8px 0; }
.msg.user { justify-content: flex-end; }
.bubble { max-width: 88%; padding: 10px 14px; border-radius: 14px; overflow-wrap: anywhere; }
.msg.user .bubble { background: var(--color-accent-soft); border-bottom-right-radius: 4px; }
.msg.bot .bubble { background: var(--background-fill-secondary);
                   border: 1px solid var(--border-color-primary); border-bottom-left-radius: 4px; }
.chip { display: inline-block; min-width: 1.45em; padding: 0 5px; margin: 0 1px; border-radius: 999px;
        background: var(--color-accent); color: white !important; font-size: 0.74em; font-weight: 600;
        line-height: 1.5em; text-align: center; text-decoration: none !important; vertical-align: 0.15em;
        cursor: pointer; }
.chip:hover { filter: brightness(1.15); box-shadow: 0 0 0 2px var(--color-accent-soft); }
.meta, .rewritten { font-size: 0.8em; color: var(--body-text-color-subdued); margin-top: 6px; }
.rewritten q { font-style: italic; }
.check { font-size: 0.85em; margin-top: 6px; padding: 2px 6px; border-left: 3px solid #d97706; }
.drafting .bubble { opacity: 0.72; }
.draft-label { font-size: 0.78em; text-transform: uppercase; letter-spacing: 0.04em;
               color: var(--body-text-color-subdued); margin-bottom: 2px; }
.draft-text { font-style: italic; color: var(--body-text-color-subdued); white-space: pre-wrap; }
.pending .dots { font-style: italic; color: var(--body-text-color-subdued); }
.msg.bot.abstain .bubble { background: #fff7e6; border: 1px dashed #d99a2b; color: #5c3d00; }
.answer-text { white-space: pre-line; }
.abstain-text { font-weight: 600; }
.abstain-text::before { content: "⚠ "; }
.abstain-why { font-size: 0.9em; margin-top: 2px; }
.closest { font-size: 0.88em; margin-top: 6px; }
.msg.bot.abstain .meta { color: #8a6a2f; }
.msg.bot.error .bubble { background: #fdecec; border: 1px solid #e5a3a3; color: #7a1c1c; }
.error-title { font-weight: 600; }
"""
)

SOURCES_CSS = (
    _BASE
    + """
.sources { max-height: 72vh; overflow-y: auto; padding-right: 4px; }
.src-group-head { font-size: 0.85em; text-transform: uppercase; letter-spacing: 0.04em; margin: 2px 0 8px;
                  color: var(--body-text-color-subdued); }
.src-q { text-transform: none; letter-spacing: normal; font-style: italic; color: var(--body-text-color); }
.src-card { border: 1px solid var(--border-color-primary); border-radius: 10px; padding: 10px 12px;
            margin-bottom: 10px; background: var(--background-fill-primary); scroll-margin: 12px;
            transition: box-shadow 0.3s ease; }
.src-card:target, .src-card.flash { box-shadow: 0 0 0 3px var(--color-accent); }
.src-head { display: flex; gap: 8px; align-items: baseline; }
.src-n { flex: none; display: inline-block; min-width: 1.5em; border-radius: 999px; text-align: center;
         background: var(--color-accent); color: white; font-size: 0.78em; font-weight: 600; }
.src-title { font-weight: 600; font-size: 0.98em; line-height: 1.35; }
.src-meta { font-size: 0.8em; color: var(--body-text-color-subdued); margin: 2px 0 6px; }
.src-para { margin: 0; padding: 6px 10px; border-left: 3px solid var(--border-color-primary);
            color: var(--body-text-color); font-size: 0.93em; font-style: normal; }
mark { background: #fde68a; color: #1f1f1f; padding: 0 2px; border-radius: 3px; }
.src-none { font-style: italic; color: var(--body-text-color-subdued); margin-bottom: 8px; }
details { margin: 6px 0 10px; }
summary { cursor: pointer; font-size: 0.88em; color: var(--body-text-color-subdued); }
.passage { border-top: 1px solid var(--border-color-primary); padding: 8px 2px; font-size: 0.9em; }
.passage-text { color: var(--body-text-color-subdued); }
details.earlier { border-top: 1px solid var(--border-color-primary); padding-top: 6px; }
.status ul { list-style: none; padding: 8px 12px; margin: 0; border-radius: 8px; }
.status.ok ul { background: #e8f6ec; color: #174d27; }
.status.warn ul { background: #fff7e6; color: #5c3d00; }
.status.error ul { background: #fdecec; color: #7a1c1c; }
.status.info ul { background: var(--background-fill-secondary); }
"""
)

CHIP_JS = """
element.addEventListener('click', function (event) {
  const chip = event.target.closest('a.chip');
  if (!chip) return;
  const id = chip.getAttribute('data-src');
  const card = id && document.getElementById(id);
  if (!card) return;
  event.preventDefault();
  for (let node = card.parentElement; node; node = node.parentElement) {
    if (node.tagName === 'DETAILS') node.open = true;
  }
  card.scrollIntoView({behavior: 'smooth', block: 'nearest'});
  card.classList.remove('flash');
  void card.offsetWidth;
  card.classList.add('flash');
  setTimeout(function () { card.classList.remove('flash'); }, 2500);
});
"""

# Gradio's bundled "Source Sans Pro" SemiBold file holds only a few glyphs, so 600-weight text (titles,
# buttons) mixes two fonts. Declared later, this face (the complete Bold file) takes precedence.
FONT_FIX = """<style>
@font-face { font-family: 'Source Sans Pro'; font-weight: 600; font-style: normal;
  src: url('static/fonts/SourceSansPro/SourceSansPro-Bold.woff2') format('woff2'); }
</style>"""

HEADER_CSS = """
h1 { font-size: 1.5em; font-weight: 600; margin: 4px 0 2px; }
p { margin: 0; color: var(--body-text-color-subdued); }
.facts { font-size: 0.85em; margin-top: 2px; }
"""
