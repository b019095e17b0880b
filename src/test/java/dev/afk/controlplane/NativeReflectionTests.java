package dev.afk.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.ReferencedClassObject;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.afk.controlplane.afk.prompt.WorkflowFile;
import dev.afk.controlplane.afk.repos.Caps;
import dev.afk.controlplane.afk.runs.Effect;
import dev.afk.controlplane.afk.runs.RunSettings;
import dev.afk.controlplane.ci.CiVerdicts;
import dev.afk.controlplane.common.Problem;
import dev.afk.controlplane.executor.Executor;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.util.Arrays;
import java.util.Set;
import java.util.HashSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Quarkus registers REST parameter and return types for reflection, but not the classes our code
 * binds with Jackson itself (JSON columns, the workflow file's YAML, answers of CI servers, problem
 * bodies written by hand). In a native binary those would bind as empty objects or fail. This test
 * finds them in the bytecode and asserts that each carries {@code @RegisterForReflection}:
 * <ul>
 *   <li>the type arguments of every {@code new TypeReference<...>() {}};</li>
 *   <li>class literals in a class that calls {@code ObjectMapper.readValue/convertValue/treeToValue}
 *       (how a {@code Class} reaches the mapper, directly or through a small helper);</li>
 *   <li>{@link #WRITTEN_ONLY}: classes only ever written (e.g. {@code Json.encode(problem)}), whose
 *       type the bytecode does not name at the call. Add a class here when you encode one that way;</li>
 * </ul>
 * and then everything reachable from those: field types (type arguments included), sealed subtypes
 * and {@code @JsonSubTypes}.
 */
class NativeReflectionTests {

    private static final String BASE = "dev.afk.controlplane";
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(BASE);

    private static final Set<String> BINDING_METHODS = Set.of("readValue", "convertValue", "treeToValue", "updateValue", "constructType");

    /** Encoded with Vert.x {@code Json.encode} or as an exception mapper's entity, never read back. */
    private static final Set<Class<?>> WRITTEN_ONLY = Set.of(Problem.class);

    @Test
    void everyClassBoundByJacksonIsRegisteredForReflection() {
        Set<Class<?>> bound = boundClasses();

        assertThat(bound).as("the scan still finds the bindings we know of").contains(
                Effect.class, Effect.Ring.class, RunSettings.class, Executor.PendingRequest.class,
                CiVerdicts.Check.class, CiVerdicts.Deployment.class, Caps.class, WorkflowFile.Settings.class,
                WorkflowFile.WorkflowCaps.class, Problem.FieldError.class);
        assertThat(bound.stream().filter(c -> !c.isAnnotationPresent(RegisterForReflection.class)).map(Class::getName))
                .as("classes bound by Jackson outside REST resources, missing @RegisterForReflection")
                .isEmpty();
    }

    private static Set<Class<?>> boundClasses() {
        Set<Class<?>> bound = new HashSet<>();
        Stream.of(typeReferenceArguments(), classLiteralsPassedToTheMapper(), WRITTEN_ONLY.stream().map(Type.class::cast))
                .flatMap(s -> s)
                .forEach(type -> collect(type, bound));
        return bound;
    }

    private static Stream<Type> typeReferenceArguments() {
        return MAIN.stream()
                .filter(c -> c.getRawSuperclass().map(s -> s.isEquivalentTo(TypeReference.class)).orElse(false))
                .map(c -> ((ParameterizedType) c.reflect().getGenericSuperclass()).getActualTypeArguments()[0]);
    }

    private static Stream<Type> classLiteralsPassedToTheMapper() {
        return MAIN.stream()
                .filter(NativeReflectionTests::callsTheMapper)
                .flatMap(c -> c.getReferencedClassObjects().stream())
                .map(ReferencedClassObject::getRawType)
                .filter(c -> !c.isAssignableTo(Throwable.class))
                // An interface is bound only as the root of a polymorphic type; others (REST client
                // interfaces handed to their builder) are no data.
                .filter(c -> !c.isInterface() || c.reflect().isSealed() || c.isAnnotatedWith(JsonSubTypes.class))
                .map(JavaClass::reflect);
    }

    private static boolean callsTheMapper(JavaClass javaClass) {
        return javaClass.getMethodCallsFromSelf().stream().anyMatch(call ->
                call.getTargetOwner().isAssignableTo(ObjectMapper.class) && BINDING_METHODS.contains(call.getName()));
    }

    private static void collect(Type type, Set<Class<?>> into) {
        switch (type) {
            case Class<?> c when c.isArray() -> collect(c.getComponentType(), into);
            case Class<?> c -> {
                if (c.getName().startsWith(BASE + ".") && into.add(c)) {
                    fieldTypes(c).forEach(t -> collect(t, into));
                    subtypes(c).forEach(t -> collect(t, into));
                }
            }
            case ParameterizedType p -> {
                collect(p.getRawType(), into);
                Arrays.stream(p.getActualTypeArguments()).forEach(t -> collect(t, into));
            }
            case WildcardType w -> Arrays.stream(w.getUpperBounds()).forEach(t -> collect(t, into));
            default -> { }
        }
    }

    private static Stream<Type> fieldTypes(Class<?> c) {
        return Arrays.stream(c.getDeclaredFields())
                .filter(f -> !Modifier.isStatic(f.getModifiers()) && !f.isSynthetic())
                .map(Field::getGenericType);
    }

    private static Stream<Class<?>> subtypes(Class<?> c) {
        Stream<Class<?>> sealed = c.isSealed() ? Arrays.stream(c.getPermittedSubclasses()) : Stream.empty();
        JsonSubTypes named = c.getAnnotation(JsonSubTypes.class);
        Stream<Class<?>> declared = named == null ? Stream.empty() : Arrays.stream(named.value()).map(JsonSubTypes.Type::value);
        return Stream.concat(sealed, declared);
    }
}
