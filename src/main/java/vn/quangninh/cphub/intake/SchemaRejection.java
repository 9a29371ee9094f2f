package vn.quangninh.cphub.intake;

import java.util.List;

import org.apache.camel.Exchange;
import org.apache.camel.component.jsonvalidator.JsonValidationException;
import org.springframework.stereotype.Component;

/**
 * A message that does not fit its connector's input schema ({@code json-validator}) becomes a 422 naming every
 * failing field ({@code details}: {@code $.urgency: does not have a value in the enumeration [...]}), kept in
 * cphub.invalid by the intake's error handling like any refusal. Two steps in a connector's route: {@link #remember}
 * in the {@code doCatch} of the validation, then {@link #rejectIfInvalid} after it — outside the {@code doTry}, so
 * that the refusal goes through the route's own error handling.
 */
@Component("schemaRejection")
public class SchemaRejection {

    /** Exchange property: the failing fields of the last schema validation. */
    static final String PROBLEMS = "cphubSchemaProblems";

    public void remember(Exchange exchange) {
        JsonValidationException invalid = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, JsonValidationException.class);
        List<String> problems = invalid == null || invalid.getErrors() == null || invalid.getErrors().isEmpty()
                ? List.of("$: the message could not be read against the schema")
                : invalid.getErrors().stream()
                        .map(m -> m.getInstanceLocation() + ": " + m.getMessage().replaceFirst("^\\S+: ", ""))
                        .sorted().toList();
        exchange.setProperty(PROBLEMS, problems);
    }

    @SuppressWarnings("unchecked")
    public void rejectIfInvalid(Exchange exchange, String error, String message) {
        List<String> problems = exchange.getProperty(PROBLEMS, List.class);
        if (problems != null) {
            exchange.removeProperty(PROBLEMS);
            throw new IntakeRejectedException(Refusal.INVALID, error, message, problems);
        }
    }
}
