package com.example

import kotlinx.coroutines.launch
import com.example.model.*
import org.slf4j.LoggerFactory as LF

@Suppress("unused")
fun route(x: Int?): Int {
    val y = x ?: 0
    when (y) {
        1 -> return 1
        2 -> return 2
        else -> return 3
    }
}

class Svc {
    @GetMapping("/log")
    fun log(token: String) {
        logger.info("token=$token")
        if (token.isEmpty() && debug) println("empty")
    }
}
