"""The browser chat UI (Gradio): chat with streamed, verified and cited answers, sources, documents.

`ui.app` lays the page out and wires events; `ui.render` turns answers into escaped HTML; `ui.uploads`
vets uploaded files; `ui.feedback` appends ratings; `ui.service` owns the store and the answerer.
Answering itself lives in `qa`; nothing here decides what an answer says or cites.
"""
