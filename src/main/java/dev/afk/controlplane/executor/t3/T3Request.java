package dev.afk.controlplane.executor.t3;

/** One HTTP request to T3; {@code operation} names it in metrics (a command type or a route). */
record T3Request(String method, String path, String body, String operation, boolean authenticated) {

    static T3Request get(String path, String operation) {
        return new T3Request("GET", path, null, operation, true);
    }

    static T3Request anonymousGet(String path, String operation) {
        return new T3Request("GET", path, null, operation, false);
    }

    static T3Request post(String path, String body, String operation) {
        return new T3Request("POST", path, body, operation, true);
    }
}
