package io.herald.sandbox;

/** One API call from start to journal: keys, faults, the site's operation, and the distortions the faults ask for. */
final class SandboxApi {
    private final SiteKeys keys;
    private final FaultInjector faults;
    private final ApiRoutes routes;
    private final SandboxSite site;
    private final Journal journal;
    private final RepublishAnswer defaultRepublishAnswer;

    SandboxApi(
            SiteKeys keys,
            FaultInjector faults,
            SandboxSite site,
            Journal journal,
            RepublishAnswer defaultRepublishAnswer) {
        this.keys = keys;
        this.faults = faults;
        this.routes = new ApiRoutes(site);
        this.site = site;
        this.journal = journal;
        this.defaultRepublishAnswer = defaultRepublishAnswer;
    }

    /** Answers the call and journals it, with whether it took effect. */
    Answer handle(ApiCall call) {
        var answer = answer(call);
        journal.add(
                site.now(),
                call.method(),
                call.resource(),
                call.pathToken(),
                call.target(),
                call.bodyDigest(),
                call.excerpt(),
                answer.status(),
                answer.effect(),
                answer.fault());
        return answer;
    }

    private Answer answer(ApiCall call) {
        if (!keys.authorize(call.authorization())) {
            return Answer.error(
                    401,
                    "Authentication credentials are missing or incorrect: "
                            + "http://docs.oneall.com/api/basic/authentication/");
        }
        var decision = faults.decide(call, () -> routes.providersOf(call));
        if (decision.preempted() != null) {
            return decision.preempted();
        }
        var configured = faults.faults().republishAnswer();
        var answer = routes.route(
                call,
                provider -> faults.publicationStatus(call, provider),
                configured != null ? configured : defaultRepublishAnswer);
        if (decision.afterEffect() != null) {
            var rule = decision.afterEffect();
            return Answer.fault(rule.status(), "Sandbox fault rule for " + rule.token() + " (carried out)", "rule", 0)
                    .withEffect(answer.effect());
        }
        if (decision.distortion() != null) {
            answer = Anomalies.distort(decision.distortion(), answer);
        }
        return decision.hang() ? answer.hanging() : answer;
    }
}
