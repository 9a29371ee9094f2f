package vn.quangninh.cphub.cctv;

import java.security.Principal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /console/evidence/{sha256}}: a camera snapshot for a console user with the {@code evidence} role
 * (SecurityConfiguration); every fetch is recorded with the user's name. Never cached.
 */
@RestController
public class EvidenceController {

    private static final Logger LOG = LoggerFactory.getLogger(EvidenceController.class);

    private final EvidenceStore evidence;

    public EvidenceController(EvidenceStore evidence) {
        this.evidence = evidence;
    }

    @GetMapping("/console/evidence/{sha256}")
    public ResponseEntity<byte[]> snapshot(@PathVariable String sha256, Principal user) {
        return evidence.fetch(sha256, user.getName())
                .map(image -> {
                    LOG.info("Snapshot {} opened by {}", sha256, user.getName());
                    return ResponseEntity.ok().contentType(MediaType.IMAGE_JPEG).cacheControl(CacheControl.noStore()).body(image);
                })
                .orElseGet(() -> ResponseEntity.notFound().build());
    }
}
