package vn.quangninh.cphub.routing;

import vn.quangninh.cphub.model.FieldGroup;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What one kind of recipient may see: the field groups it is granted. Every other group is removed from
 * its copy of the incident.
 */
public record RedactionProfile(String description, List<FieldGroup> groups) {

    public Set<FieldGroup> withheld() {
        EnumSet<FieldGroup> withheld = EnumSet.allOf(FieldGroup.class);
        if (groups != null) {
            groups.forEach(withheld::remove);
        }
        return withheld;
    }

    /** @return a redacted deep copy; the original is untouched. */
    public ObjectNode apply(ObjectNode incident) {
        ObjectNode copy = incident.deepCopy();
        withheld().forEach(group -> group.removeFrom(copy));
        return copy;
    }
}
