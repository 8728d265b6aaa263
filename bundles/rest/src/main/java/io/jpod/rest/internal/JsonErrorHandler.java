package io.jpod.rest.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The answers Jetty gives itself, before a request reaches the API (a header too large, a request line
 * that is not HTTP, an ambiguous path): {@code {"message": ...}} as application/json like every other
 * error of the API, not an HTML page. Only the status's reason is told, never an exception.
 */
final class JsonErrorHandler extends ErrorHandler {
    private final ObjectMapper json;

    JsonErrorHandler(ObjectMapper json) {
        this.json = json;
    }

    /** Every method gets the message (Jetty's default leaves it out but for GET, POST and HEAD). */
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
            Callback callback) throws IOException {
        String text = message == null || message.isBlank() ? HttpStatus.getMessage(code) : message;
        byte[] body = json.writeValueAsBytes(Map.of("message", text));
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, Exchange.JSON);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }
}
