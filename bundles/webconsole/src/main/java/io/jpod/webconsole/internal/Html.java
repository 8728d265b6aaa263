package io.jpod.webconsole.internal;

/** Escaping for text and attribute values (everything the pages show comes from the engine), and the forms. */
final class Html {
    private Html() {
    }

    static String esc(Object o) {
        if (o == null) {
            return "";
        }
        String s = o.toString();
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> {
                    // control characters would only garble the page
                    if (c < 0x20 && c != '\n' && c != '\t') {
                        sb.append('\uFFFD');
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.toString();
    }

    /**
     * A one-button form posting {@code verb} for the object {@code id} with the session's token; with
     * {@code confirm}, the browser asks that question first.
     */
    static void button(StringBuilder h, String action, String token, String verb, String label, String id,
            String confirm) {
        h.append("<form method=\"post\" action=\"").append(esc(action)).append("\" style=\"display:inline\"");
        if (confirm != null) {
            // the question is text in a JS string inside an attribute: JSON-quoted, then escaped
            h.append(" onsubmit=\"return confirm(").append(esc(jsString(confirm))).append(")\"");
        }
        h.append("><input type=\"hidden\" name=\"token\" value=\"").append(esc(token)).append("\">")
         .append("<input type=\"hidden\" name=\"id\" value=\"").append(esc(id)).append("\">")
         .append("<button type=\"submit\" name=\"action\" value=\"").append(esc(verb))
         .append("\" class=\"ui-state-default ui-corner-all jpod-").append(esc(verb)).append("\">").append(esc(label))
         .append("</button></form> ");
    }

    static String jsString(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\'') {
                sb.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }
}
