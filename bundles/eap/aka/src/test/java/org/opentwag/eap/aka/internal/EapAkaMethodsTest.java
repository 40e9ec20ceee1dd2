package org.opentwag.eap.aka.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.junit.jupiter.api.Test;
import org.opentwag.api.eap.EapConversation;
import org.opentwag.api.eap.EapMethod;
import org.opentwag.api.eap.EapStep;
import org.opentwag.api.eap.NasContext;
import org.opentwag.api.vectors.AuthVector;
import org.opentwag.api.vectors.AuthVectorSource;
import org.opentwag.api.vectors.VectorRequest;
import org.opentwag.eap.aka.statistics.EapAkaStatistics;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/** The OSGi glue without a framework: what gets registered for a configuration, and which source is used. */
class EapAkaMethodsTest {

    record Registered(Object[] classes, Object service) {
    }

    final List<Registered> live = new ArrayList<>();

    BundleContext context() {
        return (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{BundleContext.class},
                (proxy, method, args) -> {
                    if (!method.getName().equals("registerService")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    Object[] classes = args[0] instanceof String[] names ? names : new Object[]{args[0]};
                    Registered r = new Registered(classes, args[1]);
                    live.add(r);
                    return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{ServiceRegistration.class},
                            (p, m, a) -> {
                                if (m.getName().equals("unregister")) {
                                    live.remove(r);
                                    return null;
                                }
                                throw new UnsupportedOperationException(m.getName());
                            });
                });
    }

    static EapAkaMethods.Config config(Map<String, Object> overrides) {
        return (EapAkaMethods.Config) Proxy.newProxyInstance(EapAkaMethodsTest.class.getClassLoader(),
                new Class<?>[]{EapAkaMethods.Config.class}, (proxy, method, args) ->
                        overrides.containsKey(method.getName()) ? overrides.get(method.getName())
                                : method.getDefaultValue());
    }

    List<EapMethod> methods() {
        return live.stream().filter(r -> r.service() instanceof EapMethod).map(r -> (EapMethod) r.service()).toList();
    }

    @Test
    void bothMethodsAndTheStatisticsArePublishedAndReconfigurationReplacesTheMethods() {
        EapAkaMethods component = new EapAkaMethods();
        component.activate(context(), config(Map.of()));
        assertThat(methods()).extracting(EapMethod::type).containsExactlyInAnyOrder(23, 50);
        EapAkaStatistics stats = live.stream().filter(r -> r.service() instanceof EapAkaStatistics)
                .map(r -> (EapAkaStatistics) r.service()).findFirst().orElseThrow();
        assertThat(stats.snapshot()).containsKeys("eap_aka_challenge_count{method=\"EAP-AKA\"}",
                "eap_aka_auth_reject_count{method=\"EAP-AKA'\"}").hasSize(12);

        component.modified(config(Map.of("akaEnabled", false)));
        assertThat(methods()).extracting(EapMethod::type).containsExactly(50);
        component.deactivate();
        assertThat(live).isEmpty();
    }

    @Test
    void theSourceIsChosenByItsPropertyAndAMissingOneIsNamed() {
        EapAkaMethods component = new EapAkaMethods();
        List<String> used = new ArrayList<>();
        component.addSource(source(used, "local"), Map.of(AuthVectorSource.SOURCE_PROPERTY, "local"));
        component.activate(context(), config(Map.of("akaPrimeEnabled", false)));
        EapMethod aka = methods().get(0);

        EapStep step = aka.start(conversation()).toCompletableFuture().join();
        assertThat(((EapStep.Failure) step).reason()).contains("no vector source 'swx'");

        component.addSource(source(used, "swx"), Map.of(AuthVectorSource.SOURCE_PROPERTY, "swx"));
        assertThat(aka.start(conversation()).toCompletableFuture().join()).isInstanceOf(EapStep.Failure.class);
        assertThat(used).containsExactly("swx");
        EapAkaStatistics stats = (EapAkaStatistics) live.stream()
                .filter(r -> r.service() instanceof EapAkaStatistics).findFirst().orElseThrow().service();
        assertThat(stats.snapshot().get("eap_aka_identity_count{method=\"EAP-AKA\"}")).isEqualTo(2L);
        assertThat(stats.snapshot().get("eap_aka_auth_reject_count{method=\"EAP-AKA\"}")).isEqualTo(2L);
    }

    @Test
    void aConversationTheRetiredInstanceAlreadyTookOnStillReachesTheSourceAfterDeactivation() {
        // bundle:update: the engine handed a step to the old instance just before it was deactivated; DS then unbinds
        // its sources. Before, that step waited for a source this instance would never get again and was rejected.
        EapAkaMethods component = new EapAkaMethods();
        List<String> used = new ArrayList<>();
        AuthVectorSource swx = source(used, "swx");
        component.addSource(swx, Map.of(AuthVectorSource.SOURCE_PROPERTY, "swx"));
        component.activate(context(), config(Map.of("akaPrimeEnabled", false)));
        EapMethod aka = methods().get(0);

        component.deactivate();
        component.removeSource(swx);
        EapStep step = aka.start(conversation()).toCompletableFuture().join();
        assertThat(used).containsExactly("swx");
        assertThat(((EapStep.Failure) step).reason()).doesNotContain("no vector source");

        // An active instance does forget a source that goes away.
        EapAkaMethods active = new EapAkaMethods();
        active.addSource(swx, Map.of(AuthVectorSource.SOURCE_PROPERTY, "swx"));
        active.activate(context(), config(Map.of("akaPrimeEnabled", false)));
        active.removeSource(swx);
        assertThat(((EapStep.Failure) methods().get(0).start(conversation()).toCompletableFuture().join()).reason())
                .contains("no vector source 'swx'");
    }

    static EapConversation conversation() {
        EapConversation c = new EapConversation("c", new NasContext("10.0.0.2", null, null, null), 1, 0);
        c.identity("0001010000000001@wlan.mnc001.mcc001.3gppnetwork.org");
        c.methodType(23);
        return c;
    }

    static AuthVectorSource source(List<String> used, String name) {
        return new AuthVectorSource() {
            @Override
            public CompletionStage<AuthVector> fetch(VectorRequest r) {
                used.add(name);
                return CompletableFuture.failedFuture(new IllegalStateException("test source " + name));
            }

            @Override
            public CompletionStage<AuthVector> resynchronize(VectorRequest r, byte[] rand, byte[] auts) {
                return fetch(r);
            }
        };
    }
}
