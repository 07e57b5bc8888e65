package com.example;

import java.util.List;
import static org.junit.Assert.*;
import com.example.model.User;

@RestController
@RequestMapping("/api")
public class Api {
    @Override
    @GetMapping(value = "/users/{id}", produces = "application/json")
    public User get(@PathVariable long id) {
        if (id > 0 && id < 10) {
            log.info("user {}", password);
        }
        return id > 5 ? new User("a") : null;
    }

    abstract void declared();
}
