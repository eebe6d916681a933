// pdf.js, set up with its bundled worker (no remote content). Imported on demand by
// PdfPreview: it is about half of the app's script, parsed only once a PDF is shown.
import { getDocument, GlobalWorkerOptions } from "pdfjs-dist";
import workerUrl from "pdfjs-dist/build/pdf.worker.min.mjs?url";

GlobalWorkerOptions.workerSrc = workerUrl;

export { getDocument };
