package dev.afk.controlplane.ci.rollout;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Pure: renders {@code {sha}} / {@code {sha:N}} templates and reads the tag of an image reference. */
final class ImageTemplate {

    private static final Pattern SHA = Pattern.compile("\\{sha(?::(\\d{1,2}))?}");

    private ImageTemplate() {}

    static String render(String template, String sha) {
        Matcher matcher = SHA.matcher(template);
        StringBuilder rendered = new StringBuilder();
        while (matcher.find()) {
            int length = matcher.group(1) == null ? sha.length() : Math.min(sha.length(), Integer.parseInt(matcher.group(1)));
            matcher.appendReplacement(rendered, Matcher.quoteReplacement(sha.substring(0, length)));
        }
        matcher.appendTail(rendered);
        return rendered.toString();
    }

    /** {@code registry:5000/team/app:1.2@sha256:…} → {@code 1.2}; no tag → empty string. */
    static String tagOf(String image) {
        String withoutDigest = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
        int colon = withoutDigest.lastIndexOf(':');
        return colon > withoutDigest.lastIndexOf('/') ? withoutDigest.substring(colon + 1) : "";
    }
}
